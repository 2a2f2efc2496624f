import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { subgraphNames, subgraphPortVariable } from '../../platform/config.js';
import { post } from '../support/system.js';
import { waitForOutput } from '../support/command.js';
import { projectRoot, userEnvironment } from '../support/user-shell.js';

const pinnedNode = (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
  .dependencies.node!;
// Every server on a port the system picks: other jobs on this machine may hold 4000-4005.
const anyFreePorts = Object.fromEntries([['PORT', '0'], ...subgraphNames.map((name) => [subgraphPortVariable(name), '0'])]);

describe('npm start on embedded defaults', () => {
  let child: ChildProcess | undefined;
  let dataDir: string | undefined;
  afterAll(async () => {
    // The whole process group: killing npm alone would leave the server it started running.
    if (child?.pid) process.kill(-child.pid, 'SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('runs on the pinned Node.js, seeds a first demo dataset, serves the cross-agency query, and stops cleanly on Ctrl-C', async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'start-'));
    let output = '';
    // As a user types it, from a shell whose own node is older: npm must pick the pinned Node.js itself.
    child = spawn('npm', ['start'], {
      cwd: projectRoot,
      env: userEnvironment({ DATA_DIR: dataDir, DEMO_CITIZENS: '1500', ...anyFreePorts }),
      stdio: ['ignore', 'pipe', 'pipe'],
      // A process group of its own, as a terminal gives the command a user types.
      detached: true,
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const [, gatewayUrl] = await waitForOutput(child, () => output, /gateway\s+(http:\/\/\S+\/graphql)/, 300_000);
    expect(output).toContain(`Node.js v${pinnedNode}`);
    expect(output).toContain('First run: generating a demo dataset of 1,500 citizens');
    expect(gatewayUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    expect(gatewayUrl).not.toBe('http://127.0.0.1:4000/graphql');
    const subgraphUrls = [...output.matchAll(/subgraph (\S+)\s+(http:\/\/\S+)/g)].map((match) => match[1]);
    expect(subgraphUrls.sort()).toEqual([...subgraphNames].sort());
    const origin = new URL(gatewayUrl!).origin;
    const [, token] = await waitForOutput(child, () => output, /demo analyst token[^\n]*\n\s+(\S+)/, 10_000);
    expect(output).toMatch(/Checked [\d,]+ civil-service PINs against the population database: [\d,]+ matched/);

    const health = await fetch(`${origin}/healthz`);
    expect(health.status).toBe(200);
    // The gateway and the subgraphs it started share this process: Prometheus's process metrics name its runtime.
    expect(await (await fetch(`${origin}/metrics`)).text()).toContain(
      `nodejs_version_info{version="v${pinnedNode}",major="${pinnedNode.split('.')[0]}"`,
    );
    // The explorer's citizen example carries a citizen who is a civil servant with a health record.
    const pin = /\\"pin\\": \\"(\d{12})\\"/.exec(await (await fetch(`${origin}/explorer/start.js`)).text())![1]!;
    const query = `{ citizen(pin: "${pin}") { fullName residence { name } healthRecord { createdAt } civilServant { agency { name } } } }`;
    expect((await post(gatewayUrl!, query)).errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const answer = await post<{ citizen: Record<string, unknown> }>(
      gatewayUrl!,
      query,
      {},
      { authorization: `Bearer ${token}`, 'x-purpose': 'public-service' },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.citizen).toEqual({
      fullName: expect.any(String),
      residence: { name: expect.any(String) },
      healthRecord: { createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      civilServant: { agency: { name: expect.any(String) } },
    });

    // Ctrl-C signals every process of the group: npm, which passes it on too, and the server, which must take both as one.
    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    process.kill(-child.pid!, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('Shutting down');
    expect(existsSync(path.join(dataDir, 'pglite', 'pglite.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'audit', 'pglite.lock'))).toBe(false);
    child = undefined;
    // Seeding PGlite (WASM) takes minutes when other heavy jobs share the two cores: the limit guards against a hang.
  }, 360_000);
});
