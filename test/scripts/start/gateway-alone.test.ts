import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subgraphUrlVariable } from '../../../gateway/config.js';
import type { SubgraphName } from '../../../platform/config.js';
import { waitForOutput } from '../../support/command.js';
import { post, startTestSystem, subgraphUrlsOf, type TestSystem } from '../../support/system.js';
import { projectRoot, userEnvironment } from '../../support/user-shell.js';

/**
 * A gateway replica as a deployment runs it: every subgraph elsewhere (a
 * SUBGRAPH_<NAME>_URL each). npm start then opens no agency database (no
 * embedded one is created), seeds nothing, and serves through the subgraphs it
 * was pointed at.
 */
describe('npm start with every subgraph elsewhere', () => {
  let test: TestSystem;
  let child: ChildProcess | undefined;
  let dataDir: string;
  beforeAll(async () => {
    test = await startTestSystem();
    dataDir = await mkdtemp(path.join(tmpdir(), 'gateway-alone-'));
  });
  afterAll(async () => {
    // The whole process group: killing npm alone would leave the server it started running.
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
    await test?.stop();
  });

  it('opens no agency database, and answers through the subgraphs it was given', async () => {
    const remote = Object.fromEntries(
      Object.entries(subgraphUrlsOf(test)).map(([name, url]) => [subgraphUrlVariable(name as SubgraphName), url]),
    );
    let output = '';
    child = spawn('npm', ['start'], {
      cwd: projectRoot,
      env: userEnvironment({
        ...remote,
        DATA_DIR: dataDir,
        PORT: '0',
        // The secret the test system's subgraphs check: as the deployment's gateway and subgraphs share it.
        GATEWAY_SIGNING_SECRET: test.security.config.signingSecret,
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const [, gatewayUrl] = await waitForOutput(child, () => output, /gateway\s+(http:\/\/\S+\/graphql)/, 180_000);
    expect(output).toContain('Every agency subgraph runs elsewhere (SUBGRAPH_<NAME>_URL): no agency database is opened here');
    expect(output).not.toMatch(/^\s+subgraph /m);
    expect(existsSync(path.join(dataDir, 'pglite'))).toBe(false);
    const answer = await post<{ areaStats: Array<{ unitCode: string; eIdAdoption: { suppressed: boolean } }> }>(
      gatewayUrl!,
      '{ areaStats(level: PROVINCE, period: "2025") { unitCode eIdAdoption { suppressed } } }',
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.areaStats).toHaveLength(34);
  });
});
