import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem, supportedNodeMajor } from '../../scripts/node-version.js';
import { projectRoot, userEnvironment, userPath } from '../support/user-shell.js';

const manifest = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  engines: { node: string };
  dependencies: Record<string, string>;
};
const pinned = manifest.dependencies.node!;

/** The machine's own node on the user's PATH, when it is older than the supported one (as on these machines: Node 20). */
function olderSystemNode(): { executable: string; version: string } | undefined {
  const executable = userPath()
    .split(path.delimiter)
    .map((folder) => path.join(folder, 'node'))
    .find((candidate) => existsSync(candidate));
  if (!executable) return undefined;
  const version = execFileSync(executable, ['--version'], { encoding: 'utf8' }).trim();
  return Number(/^v(\d+)/.exec(version)?.[1]) < supportedNodeMajor ? { executable, version } : undefined;
}

describe('the supported Node.js', () => {
  it('is pinned exactly in dependencies, and package.json engines and the start-up check name the same major', () => {
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
    expect(Number(pinned.split('.')[0])).toBe(supportedNodeMajor);
    expect(manifest.engines.node).toBe(`>=${supportedNodeMajor}`);
  });

  it('runs this test suite: npm test runs on the pinned Node.js, whatever the machine has', () => {
    expect(process.version).toBe(`v${pinned}`);
  });

  it('is what npm puts first on the PATH of every npm script, for a user whose shell has an older one', async () => {
    const { stdout } = await promisify(execFile)('npm', ['exec', '--no', '--', 'node', '--version'], {
      cwd: projectRoot,
      env: userEnvironment({}),
    });
    expect(stdout.trim()).toBe(`v${pinned}`);
  });

  it('accepts its own major and later ones, and names an older one with the way out', () => {
    expect(nodeVersionProblem('24.0.0')).toBeUndefined();
    expect(nodeVersionProblem('v26.1.0')).toBeUndefined();
    expect(nodeVersionProblem('23.11.1', '/usr/bin/node')).toBe(
      'Node.js v23.11.1 (/usr/bin/node) is running, but this project needs Node.js 24 or later. ' +
        'Run its commands through npm (npm start, npm test, npm run <command>): after npm ci, npm runs them on the Node.js 24 it installed from the registry.',
    );
    expect(nodeVersionProblem('v20.20.2')).toMatch(/^Node\.js v20\.20\.2 \(.+\) is running, but this project needs Node\.js 24 or later/);
    expect(nodeVersionProblem('garbage')).toMatch(/^Node\.js vgarbage/);
  });

  const older = olderSystemNode();
  it.runIf(older !== undefined)(
    "stops a command started on the machine's own older Node.js, naming its version, before it does anything",
    async () => {
      const { executable, version } = older!;
      const failure = await promisify(execFile)(executable, ['--import', 'tsx', 'scripts/migrate.ts'], {
        cwd: projectRoot,
        env: userEnvironment({ DATA_DIR: '/nonexistent/never-created' }),
      }).then(
        () => undefined,
        (error: { code: number; stderr: string }) => error,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toBe(
        `error: Node.js ${version} (${executable}) is running, but this project needs Node.js 24 or later. Run its commands through npm (npm start, npm test, npm run <command>): after npm ci, npm runs them on the Node.js 24 it installed from the registry.\n`,
      );
    },
  );
});
