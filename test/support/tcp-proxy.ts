import net from 'node:net';
import { once } from 'node:events';

/** One client connection and, while forwarding, its connection to the target. */
interface Link {
  readonly client: net.Socket;
  upstream: net.Socket | undefined;
  /** Bytes were dropped: the link can never carry a protocol again. */
  holed: boolean;
  /** When the last chunk from the client is due at the target (ms since the epoch): later ones never overtake it. */
  lastDue: number;
}

/**
 * A TCP proxy in front of a real server (PostgreSQL, a subgraph), so a test can
 * take the server away from one client, as an outage would, and bring it back
 * on the same address, without stopping the server the other tests share.
 *
 * Two outages: `stop()` cuts every connection and refuses new ones (a dead
 * peer: the client knows at once); `blackHole()` keeps accepting and reading
 * but forwards and answers nothing (a hung peer: only a deadline helps).
 * And one slowdown: `setLatency(ms)` delays what clients send, on open
 * connections too (a slow peer).
 */
export class TcpProxy {
  #server: net.Server | undefined;
  readonly #links = new Set<Link>();
  #port = 0;
  #blackHole = false;
  #latencyMs = 0;
  #resets = 0;
  #httpRequests = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get port(): number {
    return this.#port;
  }

  /** HTTP requests clients have sent through the proxy so far (chunks that begin a request line). */
  get httpRequests(): number {
    return this.#httpRequests;
  }

  /** Client connections open now, forwarded or held in the black hole: what a client left behind shows here. */
  get openConnections(): number {
    return this.#links.size;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      const link: Link = { client, upstream: undefined, holed: false, lastDue: 0 };
      this.#links.add(link);
      client.on('error', () => undefined);
      client.on('close', () => {
        this.#links.delete(link);
        link.upstream?.destroy();
      });
      if (this.#blackHole) this.#swallow(link);
      else this.#forward(link);
    });
    server.listen(this.#port, '127.0.0.1');
    await once(server, 'listening');
    this.#port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  /** Cuts every connection and refuses new ones. */
  async stop(): Promise<void> {
    for (const { client, upstream } of this.#links) {
      client.destroy();
      upstream?.destroy();
    }
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /**
   * From now on, open and new connections are read and nothing is forwarded
   * either way: the peer hangs, its sockets stay open, the port stays the same.
   */
  blackHole(): void {
    this.#blackHole = true;
    for (const link of this.#links) this.#swallow(link);
  }

  /**
   * Forwards again. Connections that lost bytes in the black hole are cut (no
   * protocol survives a gap), as a peer that comes back resets them; new ones
   * reach the target.
   */
  forward(): void {
    this.#blackHole = false;
    for (const link of [...this.#links]) {
      if (!link.holed) continue;
      link.client.destroy();
      link.upstream?.destroy();
    }
  }

  /**
   * The next `count` chunks clients send are answered with a TCP reset, each on
   * its own connection (a peer that drops a kept-alive connection just as a
   * request arrives on it).
   */
  resetNext(count: number): void {
    this.#resets = count;
  }

  /** From now on, what clients send reaches the target `ms` later (0: at once), in order. */
  setLatency(ms: number): void {
    this.#latencyMs = ms;
  }

  #forward(link: Link): void {
    const upstream = net.connect(this.target);
    link.upstream = upstream;
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      // A target that goes away takes its client with it, unless the link is in the black hole.
      if (!link.holed) link.client.destroy();
    });
    const deliver = (send: () => void) => {
      if (this.#latencyMs === 0 && link.lastDue <= Date.now()) return send();
      const due = Math.max(Date.now() + this.#latencyMs, link.lastDue);
      link.lastDue = due;
      setTimeout(() => {
        if (!link.holed && !upstream.destroyed) send();
      }, due - Date.now());
    };
    link.client.on('data', (chunk: Buffer) => {
      if (link.holed) return;
      if (/^(GET|POST) \//.test(chunk.subarray(0, 6).toString('latin1'))) this.#httpRequests += 1;
      if (this.#resets > 0) {
        this.#resets -= 1;
        link.client.resetAndDestroy();
        upstream.destroy();
        return;
      }
      deliver(() => upstream.write(chunk));
    });
    link.client.on('end', () => deliver(() => upstream.end()));
    upstream.pipe(link.client);
  }

  #swallow(link: Link): void {
    if (link.holed) return;
    link.holed = true;
    const { client, upstream } = link;
    if (upstream) {
      upstream.unpipe();
      // What the target still sends is read and dropped, never delivered.
      upstream.on('data', () => undefined);
      upstream.resume();
    }
    client.on('data', () => undefined);
    client.resume();
  }
}

/** The URL `url` with its host and port replaced by the proxy's. */
export function throughProxy(url: string, proxy: TcpProxy): string {
  const proxied = new URL(url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  return proxied.toString();
}
