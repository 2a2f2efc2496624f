import { log } from './log.js';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

/**
 * Connections the kernel may hold completed for us while the event loop is busy.
 * Node's default, 511, overflowed under a burst of a few thousand clients on a
 * loaded machine: the kernel then drops handshakes, and clients see connect
 * timeouts and ECONNRESET. Linux caps it at net.core.somaxconn (4096 by default).
 */
export const listenBacklog = 4_096;

/** How long a draining server leaves a kept-alive connection that sits idle before closing it (ms). */
const idleGraceMs = 1_000;

/**
 * Starts a node:http server; a handler that throws answers 500 instead of
 * crashing the process. `stop` drains: it refuses new connections, lets every
 * request that reached the server finish (answered with `Connection: close`),
 * ends kept-alive connections that sit idle between requests, and after
 * `drainTimeoutMs` cuts whatever is left. With `drainDelayMs`, new connections
 * are still taken for that long before the listener closes.
 */
export async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  options: {
    port: number;
    host: string;
    path: string;
    /** Called first on stop, before new connections are refused (e.g. to fail the readiness probe). */
    onDrain?: () => void;
    onStop?: () => Promise<void>;
    /**
     * How long the listener stays open after `onDrain` (ms), still taking connections (answered with
     * `Connection: close`), so that a balancer sees the readiness probe fail before connections are refused;
     * the role of a Kubernetes preStop pause, for balancers without one. Default 0.
     */
    drainDelayMs?: number;
    /** How long requests under way may take to finish once the listener is closed (ms); then their connections are cut. Default 25 s. */
    drainTimeoutMs?: number;
  },
): Promise<RunningServer> {
  // Each connection, and how many of its requests are being answered: only a connection that has
  // served a request and has none under way is idle. A new one may hold a request not yet read.
  const connections = new Map<Socket, { served: boolean; active: number }>();
  let draining = false;
  const server: Server = createServer((request, response) => {
    const connection = connections.get(request.socket);
    if (connection) {
      connection.served = true;
      connection.active += 1;
      response.once('close', () => {
        connection.active -= 1;
      });
    }
    if (draining) response.setHeader('connection', 'close');
    handler(request, response).catch((error: unknown) => {
      log.error({ method: request.method, path: request.url?.split('?')[0], error: String(error) }, 'unhandled error serving a request');
      if (!response.headersSent) response.statusCode = 500;
      response.end();
    });
  });
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { served: false, active: 0 });
    socket.once('close', () => connections.delete(socket));
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port: options.port, host: options.host, backlog: listenBacklog }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}${options.path}`,
    port,
    stop: () =>
      (stopped ??= (async () => {
        options.onDrain?.();
        draining = true;
        if (options.drainDelayMs) await new Promise((resolve) => setTimeout(resolve, options.drainDelayMs));
        // Connections the kernel has completed but Node not yet accepted would be reset when the listener
        // closes: a full turn of the event loop (its poll phase between two checks) accepts them first.
        for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
        // net's close, not http's: http's also closes every connection without a request under way,
        // which resets those whose request has arrived but not yet been read.
        const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
        // A kept-alive connection idle now may carry a request already on its way: it gets a moment to
        // arrive (and be answered with Connection: close) before the connection is closed.
        const idleGrace = setTimeout(() => {
          for (const [socket, connection] of connections) if (connection.served && connection.active === 0) socket.destroy();
        }, idleGraceMs);
        // Past the drain timeout, what is still open is cut.
        const cut = setTimeout(() => {
          for (const socket of connections.keys()) socket.destroy();
        }, options.drainTimeoutMs ?? 25_000);
        await closed;
        clearTimeout(idleGrace);
        clearTimeout(cut);
        await options.onStop?.();
      })()),
  };
}
