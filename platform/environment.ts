import { z } from 'zod';
import { AppError, ErrorCode } from './errors.js';

/** An empty variable means "not set", as a shell `FOO=` intends. */
export const emptyAsUnset = (value: unknown) => (value === '' ? undefined : value);

/** A TCP port to listen on; 0 lets the system pick a free one. */
export const portNumber = z.coerce.number().int().min(0).max(65_535);

/**
 * Parses environment variables with a zod schema. Every bad value is reported
 * in one message that names its variable and shows what it was (passwords in
 * URLs hidden); the process stops on it at start-up.
 */
export function parseEnvironment<Schema extends z.ZodType>(schema: Schema, env: NodeJS.ProcessEnv): z.infer<Schema> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const variable = String(issue.path[0]);
    const value = env[variable];
    const shown = /SECRET|TOKEN|PASSWORD|PRIVATE/.test(variable)
      ? `${value?.length ?? 0} characters`
      : JSON.stringify(redactPassword(value ?? ''));
    return `${variable} ${issue.message}${value === undefined ? '' : ` (got ${shown})`}`;
  });
  throw new AppError(ErrorCode.CONFIG_INVALID, `Invalid configuration: ${problems.join('; ')}`);
}

/** URLs appear in messages; their passwords must not. */
export function redactPassword(value: string): string {
  return value.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
