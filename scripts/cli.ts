import { describeError } from '../platform/errors.js';
import { stopTelemetry } from '../platform/telemetry.js';

/** Signals this close to the first are copies of it (see below). */
const samePressMs = 1_000;

/**
 * Runs a command-line tool: a failure prints one line naming the problem and
 * exits 1; Ctrl-C or SIGTERM aborts `signal` so the tool can roll back or shut
 * down cleanly (a second Ctrl-C forces the exit).
 */
export function runCli(main: (signal: AbortSignal) => Promise<void>): void {
  const controller = new AbortController();
  let firstSignalAt = 0;
  const interrupt = () => {
    if (controller.signal.aborted) {
      // Ctrl-C reaches every process of the terminal's group, and npm and tsx pass it on again:
      // copies arriving together are one request to stop, not the second press that forces it.
      if (performance.now() - firstSignalAt > samePressMs) process.exit(130);
      return;
    }
    firstSignalAt = performance.now();
    process.stderr.write('\nStopping (press Ctrl-C again to force)\n');
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  // The spans still held are exported before the process exits (nothing to do when tracing is off).
  const exit = (code: number) => void stopTelemetry().finally(() => process.exit(code));
  main(controller.signal).then(
    () => exit(Number(process.exitCode ?? 0)),
    (error: unknown) => {
      process.stderr.write(`error: ${describeError(error)}\n`);
      if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      exit(controller.signal.aborted ? 130 : 1);
    },
  );
}
