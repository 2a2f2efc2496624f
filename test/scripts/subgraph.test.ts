import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RunningGateway } from '../../gateway/server.js';
import { runScript } from '../support/command.js';
import { createTestDatabase } from '../support/postgres.js';
import { eventually, post, startReplica, startTestSystem, type TestSystem } from '../support/system.js';
import { projectRoot } from '../support/user-shell.js';

/** `npm run subgraph -- health` as its own process, on the shared health database; resolves with the URL it prints. */
function startHealthProcess(signingSecret: string, port: number): { child: ChildProcess; url: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/subgraph.ts', 'health'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      // As a deployment runs it: the source as a role that may only read the contract, the store apart.
      HEALTH_DATABASE_URL: inject('sharedReaderUrl'),
      STORE_DATABASE_URL: inject('sharedDatabaseUrl'),
      REFRESH_INTERVAL: '0',
      SUBGRAPH_HEALTH_PORT: String(port),
      GATEWAY_SIGNING_SECRET: signingSecret,
      DATABASE_CONNECT_TIMEOUT_MS: '30000',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^subgraph health (http:\/\/\S+)$/m.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`The health subgraph exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

const crossAgency = 'query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';

describe('npm run subgraph -- NAME', () => {
  it.each([
    [[], /usage: npm run subgraph -- NAME, where NAME is one of population, civil-service, agriculture, health, indicators/],
    [['hospital'], /there is no subgraph "hospital"/],
    [['health', 'population'], /one subgraph per process \(got health, population\)/],
  ])('refuses %j with a message naming the problem', async (args, message) => {
    const { code, stderr } = await runScript('scripts/subgraph.ts', args, { GATEWAY_SIGNING_SECRET: 'x'.repeat(32) });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });

  it('refuses to start without the secret the gateway signs with, naming the variable', async () => {
    const { code, stderr } = await runScript('scripts/subgraph.ts', ['indicators'], { GATEWAY_SIGNING_SECRET: '' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/GATEWAY_SIGNING_SECRET must be set/);
  });

  it('refuses to start on a database without its source contract, naming the relations missing and the command that lists them', async () => {
    const empty = await createTestDatabase('subgraph_no_contract');
    try {
      const { code, stderr } = await runScript('scripts/subgraph.ts', ['health'], {
        GATEWAY_SIGNING_SECRET: 'x'.repeat(32),
        HEALTH_DATABASE_URL: empty.url,
        STORE_DATABASE_URL: empty.url,
        REFRESH_INTERVAL: '0',
      });
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /The health source \(HEALTH_DATABASE_URL, schema gateway_source from SOURCE_SCHEMA\) does not follow its contract/,
      );
      expect(stderr).toMatch(/gateway_source\.health_record: missing/);
      expect(stderr).toMatch(/npm run source:check -- --agency health lists every problem/);
      expect(stderr).not.toMatch(/at .*\.ts:\d+/);
    } finally {
      await empty.drop();
    }
  });

  describe('a subgraph in a process of its own behind a gateway', () => {
    let test: TestSystem;
    let gateway: RunningGateway;
    let health: ReturnType<typeof startHealthProcess>;
    beforeAll(async () => {
      test = await startTestSystem();
      health = startHealthProcess(test.security.security.signingSecret, 0);
      gateway = await startReplica(test, { subgraphUrls: { health: await health.url } });
    });
    afterAll(async () => {
      health?.child.kill('SIGKILL');
      await gateway?.stop();
      await test?.stop();
    });

    it('answers; killed with SIGKILL, its fields are null with SUBGRAPH_UNAVAILABLE; restarted on its port, it answers again', async () => {
      const answer = await post<{ citizen: { fullName: string; healthRecord: unknown } }>(
        gateway.url,
        crossAgency,
        { pin: test.pin },
        test.analyst,
      );
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.citizen.healthRecord).not.toBeNull();

      const port = new URL(await health.url).port;
      const exited = once(health.child, 'exit');
      health.child.kill('SIGKILL');
      await exited;
      const partial = await post<{ citizen: { fullName: string; healthRecord: unknown } }>(
        gateway.url,
        crossAgency,
        { pin: test.pin },
        test.analyst,
      );
      expect(partial.data!.citizen).toEqual({ fullName: answer.data!.citizen.fullName, healthRecord: null });
      expect(partial.errors).toEqual([
        expect.objectContaining({ extensions: expect.objectContaining({ code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health' }) }),
      ]);

      health = startHealthProcess(test.security.security.signingSecret, Number(port));
      expect(await health.url).toBe(`http://127.0.0.1:${port}/graphql`);
      expect(
        await eventually(async () => {
          const again = await post<{ citizen: { healthRecord: unknown } }>(gateway.url, crossAgency, { pin: test.pin }, test.analyst);
          return !again.errors && again.data!.citizen.healthRecord !== null;
        }, 30_000),
      ).toBe(true);
    });
  });
});
