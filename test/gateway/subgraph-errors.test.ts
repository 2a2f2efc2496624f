import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGateway } from '../../gateway/server.js';
import { post, startReplica, startTestSystem, type TestSystem, replicaBehindProxy } from '../support/system.js';
import type { TcpProxy } from '../support/tcp-proxy.js';

/** What a broken agency server might say: its address and internals, which no client may see. */
const internals = 'stack trace at /srv/his/app.js:12, database host 10.20.30.40';

describe('a subgraph that answers with an HTTP error', () => {
  let test: TestSystem;
  let broken: Server;
  let gateway: RunningGateway;
  let brokenUrl: string;
  let answerNext: { status: number; body: string };
  beforeAll(async () => {
    test = await startTestSystem();
    // A real HTTP server in place of the health subgraph, answering what each test sets.
    broken = createServer((request, response) => {
      request.resume();
      request.once('end', () => response.writeHead(answerNext.status, { 'content-type': 'application/json' }).end(answerNext.body));
    });
    broken.listen(0, '127.0.0.1');
    await once(broken, 'listening');
    brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}/graphql`;
    gateway = await startReplica(test, { subgraphUrls: { health: brokenUrl } });
  });
  afterAll(async () => {
    await gateway?.stop();
    broken?.close();
    await test?.stop();
  });

  const lookup = 'query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';

  it('is told to the client by name and status, without its URL or what its body says', async () => {
    answerNext = { status: 500, body: JSON.stringify({ message: internals }) };
    const answer = await post<{ citizen: { fullName: string; healthRecord: unknown } }>(
      gateway.url,
      lookup,
      { pin: test.pin },
      test.analyst,
    );
    expect(answer.status).toBe(200);
    expect(answer.data?.citizen.healthRecord).toBeNull();
    expect(answer.errors).toEqual([
      {
        message: 'The health subgraph answered HTTP 500; its fields are null',
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health' },
      },
    ]);
    const text = JSON.stringify(answer);
    expect(text).not.toContain(brokenUrl.replace('/graphql', ''));
    expect(text).not.toContain('10.20.30.40');
  });

  it('keeps the message and code of a GraphQL refusal the subgraph itself made', async () => {
    answerNext = {
      status: 403,
      body: JSON.stringify({ errors: [{ message: 'Reading HealthRecord.createdAt needs health:pii', extensions: { code: 'FORBIDDEN' } }] }),
    };
    const answer = await post(gateway.url, lookup, { pin: test.pin }, test.analyst);
    expect(answer.errors).toEqual([
      { message: 'Reading HealthRecord.createdAt needs health:pii', extensions: { code: 'FORBIDDEN', serviceName: 'health' } },
    ]);
  });
});

describe('a subgraph that resets a kept-alive connection as a request arrives on it', () => {
  let test: TestSystem;
  let proxy: TcpProxy;
  let gateway: RunningGateway;
  beforeAll(async () => {
    test = await startTestSystem();
    ({ proxy, gateway } = await replicaBehindProxy(test, 'health'));
  });
  afterAll(async () => {
    await gateway?.stop();
    await proxy?.stop();
    await test?.stop();
  });

  const lookup = 'query ($pin: ID!) { citizen(pin: $pin) { fullName healthRecord { createdAt } } }';
  const ask = () => post<{ citizen: { fullName: string; healthRecord: unknown } }>(gateway.url, lookup, { pin: test.pin }, test.analyst);

  it('is asked once more on a new connection, and the answer is whole', async () => {
    const whole = await ask();
    expect(whole.errors).toBeUndefined();
    proxy.resetNext(1);
    const answer = await ask();
    expect(answer.errors).toBeUndefined();
    expect(answer.data).toEqual(whole.data);
  });

  it('is asked only once more: a second reset leaves its fields null, naming it', async () => {
    proxy.resetNext(2);
    const answer = await ask();
    expect(answer.data?.citizen.healthRecord).toBeNull();
    expect(answer.errors).toEqual([
      {
        message: expect.stringMatching(/^The health subgraph is unavailable \((ECONNRESET|UND_ERR_SOCKET)\); its fields are null$/),
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: 'health' },
      },
    ]);
    // Both resets were spent on this one request: the next is whole.
    expect((await ask()).errors).toBeUndefined();
  });
});
