/**
 * Every command refuses a Node.js older than the one the project supports.
 * Imported first by each entry point, so the check runs before anything else
 * is evaluated. npm puts the Node.js that `npm ci` installs from the registry
 * (the `node` dependency) first on the PATH of every npm script; a command run
 * another way may meet the machine's own, older Node.js, and must say so
 * rather than fail somewhere later.
 */

/** The oldest major release the project runs on; package.json `engines` and the pinned `node` dependency agree (tested). */
export const supportedNodeMajor = 24;

/** Why this Node.js cannot run the project, or undefined when it can. */
export function nodeVersionProblem(version: string = process.versions.node, executable: string = process.execPath): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (Number.isInteger(major) && major >= supportedNodeMajor) return undefined;
  return (
    `Node.js ${version.replace(/^v?/, 'v')} (${executable}) is running, but this project needs Node.js ${supportedNodeMajor} or later. ` +
    `Run its commands through npm (npm start, npm test, npm run <command>): after npm ci, npm runs them on the Node.js ${supportedNodeMajor} it installed from the registry.`
  );
}

const problem = nodeVersionProblem();
if (problem) {
  process.stderr.write(`error: ${problem}\n`);
  process.exit(1);
}
