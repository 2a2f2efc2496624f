import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { post } from '../support/system.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Waits until the output so far matches, or fails with the output when the process ends or time runs out. */
function waitForOutput(child: ChildProcess, output: () => string, pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No ${pattern} within ${timeoutMs} ms; output:\n${output()}`)), timeoutMs);
    const check = () => {
      const match = pattern.exec(output());
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', check);
    child.stderr!.on('data', check);
    // The output may hold the match already.
    check();
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Exited with ${code} before ${pattern}; output:\n${output()}`));
    });
  });
}

describe('npm start on embedded defaults', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
  });

  it('seeds a first demo dataset, serves the cross-agency query through port 4000, and stops cleanly on SIGTERM', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'start-'));
    let output = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, DEMO_CITIZENS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));

    const [, gatewayUrl] = await waitForOutput(child, () => output, /gateway\s+(http:\/\/\S+\/graphql)/, 150_000);
    expect(output).toContain('First run: generating a demo dataset of 1,500 citizens');
    expect(gatewayUrl).toBe('http://127.0.0.1:4000/graphql');
    const [, token] = await waitForOutput(child, () => output, /demo analyst token[^\n]*\n\s+(\S+)/, 10_000);
    expect(output).toMatch(/Checked [\d,]+ civil-service PINs against the population database: [\d,]+ matched/);

    const health = await fetch('http://127.0.0.1:4000/healthz');
    expect(health.status).toBe(200);
    // The explorer's citizen example carries a citizen who is a civil servant with a health record.
    const pin = /\\"pin\\": \\"(\d{12})\\"/.exec(await (await fetch('http://127.0.0.1:4000/explorer/start.js')).text())![1]!;
    const query = `{ citizen(pin: "${pin}") { fullName residence { name } healthRecord { createdAt } civilServant { agency { name } } } }`;
    expect((await post(gatewayUrl!, query)).errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const answer = await post<{ citizen: Record<string, unknown> }>(gatewayUrl!, query, {}, { authorization: `Bearer ${token}`, 'x-purpose': 'public-service' });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.citizen).toEqual({
      fullName: expect.any(String),
      residence: { name: expect.any(String) },
      healthRecord: { createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      civilServant: { agency: { name: expect.any(String) } },
    });

    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(output).toContain('Shutting down');
    expect(existsSync(path.join(dataDir, 'pglite', 'pglite.lock'))).toBe(false);
    expect(existsSync(path.join(dataDir, 'audit', 'pglite.lock'))).toBe(false);
    child = undefined;
  });
});
