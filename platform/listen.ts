import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

/**
 * Starts a node:http server; a handler that throws answers 500 instead of
 * crashing the process. `stop` refuses new connections and ends idle
 * keep-alive ones so that shutdown does not wait for clients to go away.
 */
export async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => Promise<void>,
  options: { port: number; host: string; path: string; onStop?: () => Promise<void> },
): Promise<RunningServer> {
  const server: Server = createServer((request, response) => {
    handler(request, response).catch((error: unknown) => {
      process.stderr.write(`Unhandled error serving ${request.method} ${request.url}: ${String(error)}\n`);
      if (!response.headersSent) response.statusCode = 500;
      response.end();
    });
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
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        await options.onStop?.();
      })()),
  };
}
