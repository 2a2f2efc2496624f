import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the balancer knows of one gateway replica. */
export interface Upstream {
  readonly origin: URL;
  /** False once a connection to it was refused or its /readyz said no; true again once /readyz says 200. */
  alive: boolean;
  /** Requests sent to it and not answered yet. */
  inFlight: number;
  /** Requests sent to it, ever (a retried request counts at each replica it was sent to). */
  sent: number;
  /** Requests it answered (any status). */
  answered: number;
  /** Requests it accepted and never answered (the connection broke): each became a 502. */
  lost: number;
  /** When each lost request was sent to it (performance.now()): whether it held the request before a signal, or was handed it after. */
  readonly lostSentAt: number[];
  /** Requests it refused the connection for, sent on to another replica. */
  refused: number;
}

/** Largest request body the balancer buffers (it keeps the body to send it to another replica). */
const maximumBodyBytes = 16 * 1_048_576;

/** No keep-alive to the replicas: a request to a dead one is then refused at connect, never sent (see below). */
const agent = new http.Agent({ keepAlive: false });

const sendJson = (response: ServerResponse, status: number, body: unknown) => {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
};

/**
 * A small round-robin HTTP load balancer in front of the gateway replicas,
 * dropping a dead one: what a cloud load balancer or a Kubernetes Service does
 * for the topology, kept to what the tests need to be exact about.
 *
 * Every request opens its own connection to a replica. A replica that is gone
 * refuses the connection, so the request never reached it and is sent to the
 * next replica: no request sent after a replica died fails. A request a replica
 * accepted and never answered (it died holding it) is not sent again (the
 * replica may have done its work; GraphQL over POST is not known to be
 * idempotent) and is answered 502. /readyz of every replica is probed each
 * `probeMs`: a draining or dead replica is left out, a recovered one taken back.
 * When every replica is out, each is tried anyway: a wrong verdict must not
 * stop all traffic.
 */
export class Balancer {
  readonly upstreams: Upstream[];
  #server: http.Server | undefined;
  #next = 0;
  #probe: NodeJS.Timeout | undefined;
  url = '';

  constructor(replicas: readonly string[]) {
    this.upstreams = replicas.map((replica) => ({
      origin: new URL(new URL(replica).origin),
      alive: true,
      inFlight: 0,
      sent: 0,
      answered: 0,
      lost: 0,
      lostSentAt: [],
      refused: 0,
    }));
  }

  async start(options: { readonly host?: string; readonly port?: number; readonly probeMs?: number } = {}): Promise<string> {
    const host = options.host ?? '127.0.0.1';
    const server = http.createServer((request, response) => void this.#handle(request, response));
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
    this.#probe = setInterval(() => void this.probe(), options.probeMs ?? 1_000);
    this.#probe.unref();
    this.url = `http://${host}:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Asks every replica's /readyz once: 200 takes it in, any other answer or a refused connection leaves it out. */
  async probe(): Promise<void> {
    await Promise.all(
      this.upstreams.map(async (upstream) => {
        try {
          const response = await fetch(new URL('/readyz', upstream.origin), { signal: AbortSignal.timeout(2_000) });
          await response.body?.cancel();
          upstream.alive = response.status === 200;
        } catch (error) {
          // A slow answer is no verdict (a busy replica is still a replica); a refused connection is.
          if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') upstream.alive = false;
        }
      }),
    );
  }

  /** The replicas to try, in order: the living ones from the next in turn, or every one when none is known alive. */
  #order(): Upstream[] {
    const start = this.#next++ % this.upstreams.length;
    const turn = [...this.upstreams.slice(start), ...this.upstreams.slice(0, start)];
    const living = turn.filter((upstream) => upstream.alive);
    return living.length > 0 ? living : turn;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    try {
      for await (const chunk of request as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maximumBodyBytes) return sendJson(response, 413, { errors: [{ message: 'Request body too large for the balancer' }] });
        chunks.push(chunk);
      }
    } catch {
      return; // The caller went away.
    }
    const body = Buffer.concat(chunks);
    for (const upstream of this.#order()) {
      const outcome = await this.#forward(upstream, request, body, response);
      if (outcome !== 'refused') return;
      upstream.alive = false;
      upstream.refused++;
    }
    sendJson(response, 502, { errors: [{ message: 'No gateway replica accepted the connection', extensions: { code: 'BAD_GATEWAY' } }] });
  }

  /** Sends one request to one replica and streams its answer back; 'refused' when it never reached it. */
  #forward(upstream: Upstream, request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<'done' | 'refused'> {
    return new Promise((resolve) => {
      upstream.inFlight++;
      upstream.sent++;
      const sentAt = performance.now();
      let settled = false;
      const settle = (outcome: 'done' | 'refused' | 'answered' | 'lost') => {
        if (settled) return;
        settled = true;
        upstream.inFlight--;
        if (outcome === 'answered') upstream.answered++;
        if (outcome === 'lost') {
          upstream.lost++;
          upstream.lostSentAt.push(sentAt);
        }
        resolve(outcome === 'refused' ? 'refused' : 'done');
      };
      const headers = { ...request.headers, 'x-forwarded-for': request.socket.remoteAddress ?? '', 'content-length': String(body.length) };
      delete headers.connection;
      const outgoing = http.request(new URL(request.url ?? '/', upstream.origin), { method: request.method, headers, agent }, (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        answer.once('end', () => settle('answered'));
        // The replica died in the middle of its answer: the caller's connection is cut, as the replica's was.
        answer.once('aborted', () => {
          response.destroy();
          settle('lost');
        });
        answer.once('error', () => {
          response.destroy();
          settle('lost');
        });
      });
      outgoing.once('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') return settle('refused');
        sendJson(response, 502, {
          errors: [
            {
              message: `The gateway replica failed while holding this request (${error.code ?? error.message})`,
              extensions: { code: 'BAD_GATEWAY' },
            },
          ],
        });
        settle('lost');
      });
      // A caller that goes away takes its request with it.
      response.once('close', () => {
        if (!response.writableFinished) outgoing.destroy();
      });
      outgoing.end(body);
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.#probe);
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
