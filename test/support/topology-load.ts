/**
 * Steady load for the topology tests: a few workers, each sending one request
 * after another until told to stop, every request recorded with when it was
 * sent and how it ended, so a test can say which failed and when they were sent.
 */

export interface SentRequest {
  /** performance.now() when it was sent, and when its answer (or failure) was complete. */
  readonly sentAt: number;
  readonly endedAt: number;
  readonly status: number;
  /** 200 with data and no errors. */
  readonly ok: boolean;
  readonly requestId: string | undefined;
  /** What went wrong, for the failure message. */
  readonly problem?: string;
}

export interface LoadRequest {
  readonly body: { readonly query: string; readonly variables?: Record<string, unknown> };
  readonly headers?: Record<string, string>;
}

/** Sends one GraphQL request and says how it ended; never throws. */
export async function send(url: string, request: LoadRequest): Promise<SentRequest> {
  const sentAt = performance.now();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...request.headers },
      body: JSON.stringify(request.body),
      signal: AbortSignal.timeout(60_000),
    });
    const answer = (await response.json()) as { data?: unknown; errors?: Array<{ message: string }> };
    const ok = response.status === 200 && answer.data != null && !answer.errors?.length;
    return {
      sentAt,
      endedAt: performance.now(),
      status: response.status,
      ok,
      requestId: response.headers.get('x-request-id') ?? undefined,
      ...(ok ? {} : { problem: `${response.status}: ${JSON.stringify(answer.errors ?? answer).slice(0, 300)}` }),
    };
  } catch (error) {
    return { sentAt, endedAt: performance.now(), status: 0, ok: false, requestId: undefined, problem: String(error) };
  }
}

/** Runs `workers` senders until `signal` aborts; resolves with every request sent, in the order they ended. */
export async function steadyLoad(options: {
  readonly url: string;
  readonly workers: number;
  readonly next: (index: number) => LoadRequest;
  readonly signal: AbortSignal;
}): Promise<SentRequest[]> {
  const sent: SentRequest[] = [];
  let index = 0;
  await Promise.all(
    Array.from({ length: options.workers }, async () => {
      while (!options.signal.aborted) sent.push(await send(options.url, options.next(index++)));
    }),
  );
  return sent;
}
