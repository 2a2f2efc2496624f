import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Explorer } from '../../../gateway/explorer/index.js';
import { createRouter, toExplorer, type Route } from '../../../gateway/routes/index.js';
import { listen, type RunningServer } from '../../../platform/listen.js';

describe('the route table', () => {
  let server: RunningServer;
  let base: string;
  // The explorer claims its own paths, whatever the table says.
  const explorer: Explorer = {
    handle: (_request, response, path) => {
      if (!path.startsWith('/explorer/')) return false;
      response.end('explorer');
      return true;
    },
  };
  beforeAll(async () => {
    const routes = new Map<string, Route>([
      ['/hello', (_request, response) => void response.end('hello')],
      ['/explorer/hello', (_request, response) => void response.end('not the explorer')],
      ['/', toExplorer],
    ]);
    server = await listen(createRouter(routes, explorer), { port: 0, host: '127.0.0.1', path: '/graphql' });
    base = new URL(server.url).origin;
  });
  afterAll(() => server?.stop());

  it("answers a path from its route, after the explorer's own", async () => {
    expect(await (await fetch(`${base}/hello?to=you`)).text()).toBe('hello');
    expect(await (await fetch(`${base}/explorer/hello`)).text()).toBe('explorer');
  });

  it('sends / to the explorer, at /graphql', async () => {
    const answer = await fetch(`${base}/`, { redirect: 'manual' });
    expect([answer.status, answer.headers.get('location')]).toEqual([302, '/graphql']);
  });

  it('answers 404, naming the path, for any other', async () => {
    const answer = await fetch(`${base}/nothing?here=1`);
    expect([answer.status, await answer.json()]).toEqual([404, { error: 'No route /nothing; GraphQL and the explorer are at /graphql' }]);
  });

  it("gives every answer, refusals included, the request's id", async () => {
    const answer = await fetch(`${base}/nothing`, { headers: { 'x-request-id': 'dashboard-0001' } });
    expect([answer.status, answer.headers.get('x-request-id')]).toEqual([404, 'dashboard-0001']);
  });
});
