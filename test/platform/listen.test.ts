import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listen, listenBacklog, type RunningServer } from '../../platform/listen.js';

const clients = 2_000;

/**
 * A child process opens `clients` TCP connections at once and writes how many the
 * kernel completed, when all have or when none completed for `stallMs`.
 */
const connector = `
const net = require('node:net');
const { writeFileSync } = require('node:fs');
const [port, count, out, stallMs] = process.argv.slice(1).map((value, index) => (index === 2 ? value : Number(value)));
let connected = 0, failed = 0, timer;
const report = () => { writeFileSync(out, JSON.stringify({ connected, failed })); process.exit(0); };
const progress = () => { clearTimeout(timer); if (connected + failed === count) report(); else timer = setTimeout(report, stallMs); };
for (let i = 0; i < count; i++) {
  const socket = net.connect(port, '127.0.0.1');
  socket.on('connect', () => { connected++; progress(); });
  socket.on('error', () => { failed++; progress(); });
}
progress();
`;

describe('listen', () => {
  let server: RunningServer | undefined;
  const folder = mkdtempSync(path.join(tmpdir(), 'listen-backlog-'));
  afterAll(async () => {
    await server?.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  it(`keeps a burst of ${clients.toLocaleString('en')} connections waiting while its event loop is busy, instead of dropping them`, async () => {
    expect(listenBacklog).toBeGreaterThanOrEqual(clients);
    server = await listen(async (_request, response) => void response.end('ok'), { port: 0, host: '127.0.0.1', path: '/' });
    const out = path.join(folder, 'result.json');
    // 5 s without a new connection: a handshake the kernel dropped is retried after 1 s, then 3 s.
    const child = spawn(process.execPath, ['-e', connector, String(server.port), String(clients), out, '5000'], { stdio: 'ignore' });
    // The server's loop is blocked (as a loaded gateway's is) until the child has its answer:
    // only the kernel's accept queue, sized by the backlog, can complete handshakes meanwhile.
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const deadline = Date.now() + 60_000;
    while (!existsSync(out) && Date.now() < deadline) Atomics.wait(signal, 0, 0, 20);
    const result = JSON.parse(readFileSync(out, 'utf8')) as { connected: number; failed: number };
    child.kill();
    expect(result).toEqual({ connected: clients, failed: 0 });
  }, 90_000);
});

describe('listen, stopping with a drain delay', () => {
  it('keeps taking connections for DRAIN_DELAY_MS after the drain began, answering them with Connection: close, then refuses them', async () => {
    let drained = false;
    const server = await listen(async (_request, response) => void response.end('ok'), {
      port: 0,
      host: '127.0.0.1',
      path: '/',
      // Long enough that the request below is made well inside it on a loaded machine.
      drainDelayMs: 5_000,
      onDrain: () => {
        drained = true;
      },
    });
    const stopped = server.stop();
    expect(drained).toBe(true);
    const during = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(during.status).toBe(200);
    expect(during.headers.get('connection')).toBe('close');
    expect(await during.text()).toBe('ok');
    await stopped;
    await expect(fetch(`http://127.0.0.1:${server.port}/`)).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } });
  }, 60_000);
});
