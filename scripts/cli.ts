import { describeError } from '../subgraphs/runtime/errors.js';

/**
 * Runs a command-line tool: a failure prints one line naming the problem and
 * exits 1; Ctrl-C or SIGTERM aborts `signal` so the tool can roll back or shut
 * down cleanly (a second Ctrl-C forces the exit).
 */
export function runCli(main: (signal: AbortSignal) => Promise<void>): void {
  const controller = new AbortController();
  const interrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nStopping (press Ctrl-C again to force)\n');
    controller.abort(new Error('interrupted'));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  main(controller.signal).then(
    () => process.exit(Number(process.exitCode ?? 0)),
    (error: unknown) => {
      process.stderr.write(`error: ${describeError(error)}\n`);
      if (process.env.DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
      process.exit(controller.signal.aborted ? 130 : 1);
    },
  );
}
