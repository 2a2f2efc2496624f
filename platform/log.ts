import { pino, type Logger } from 'pino';
import { z } from 'zod';
import { emptyAsUnset, parseEnvironment } from './environment.js';

/**
 * Structured logs: JSON lines on standard output (pino), one object per
 * event, readable by any log pipeline; pretty on a terminal in development.
 * Nothing personal is ever logged: request lines carry ids, names of
 * operations, codes and timings, never variables, answers or error messages
 * (which may quote a PIN).
 */
const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const schema = z.object({ LOG_LEVEL: z.preprocess(emptyAsUnset, z.enum(levels).default('info')) });

export type LogFields = Record<string, unknown>;

let current: Logger | undefined;

function create(level: string): Logger {
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  let pretty: string | undefined;
  try {
    // A development dependency: absent after `npm prune --omit=dev`, so production always writes JSON.
    pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production' ? import.meta.resolve('pino-pretty') : undefined;
  } catch {
    pretty = undefined;
  }
  if (pretty) return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 1 } } });
  // Buffered, written in the background: a write call per request line is a system call per request, on the path of
  // every cached answer. What is buffered is written when the process exits, however it exits.
  const destination = pino.destination({ dest: 1, sync: false, minLength: 4_096 });
  process.once('exit', () => destination.flushSync());
  // A reader that went away (`npm start | head`) is no reason to stop serving.
  destination.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return pino(options, destination);
}

/** Reads LOG_LEVEL once, at start-up: a wrong value stops the process naming the variable. */
export function configureLogging(environment: NodeJS.ProcessEnv = process.env): void {
  current = create(parseEnvironment(schema, environment).LOG_LEVEL);
}

function logger(): Logger {
  // Before configureLogging (tests, tools): the level from the environment if it is a valid one, else info.
  current ??= create((levels as readonly string[]).includes(process.env.LOG_LEVEL ?? '') ? process.env.LOG_LEVEL! : 'info');
  return current;
}

export const log = {
  info: (fields: LogFields, message: string) => logger().info(fields, message),
  warn: (fields: LogFields, message: string) => logger().warn(fields, message),
  error: (fields: LogFields, message: string) => logger().error(fields, message),
  debug: (fields: LogFields, message: string) => logger().debug(fields, message),
};

/** Sends every log line of this process to memory, parsed (tests): the lines, and a way back. */
export function captureLogs(): { readonly lines: LogFields[]; restore(): void } {
  const previous = current;
  const lines: LogFields[] = [];
  current = pino({ level: 'debug', base: undefined }, { write: (line: string) => lines.push(JSON.parse(line) as LogFields) });
  return {
    lines,
    restore: () => {
      current = previous;
    },
  };
}
