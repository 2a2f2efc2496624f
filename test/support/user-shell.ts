import path from 'node:path';

export const projectRoot = path.resolve(import.meta.dirname, '../..');

/**
 * The PATH of the shell that ran `npm test`, without the node_modules/.bin
 * folders npm put in front of it: what a user typing a command has, so a
 * test can show that npm itself, not the test runner, picks the Node.js.
 */
export function userPath(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((folder) => folder !== '' && !folder.split(path.sep).includes('node_modules'))
    .join(path.delimiter);
}

/**
 * A scrubbed environment for a command started as a user would: only what a
 * shell needs plus the given variables, so a REDIS_URL, *_DATABASE_URL or
 * PORT set on the machine cannot change what is tested.
 */
export function userEnvironment(variables: Record<string, string>): NodeJS.ProcessEnv {
  const kept = ['HOME', 'LANG', 'TMPDIR', 'TERM'].flatMap((name) => (process.env[name] === undefined ? [] : [[name, process.env[name]!]]));
  return { ...Object.fromEntries(kept), PATH: userPath(), ...variables };
}
