/**
 * The ceiling: node:http answering every POST with the exact bytes the
 * project's gateway answered for the same body. No gateway can be faster on
 * this machine; the others are measured against it.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { ready } from '../support/child.js';

const answers = new Map(
  Object.entries(JSON.parse(readFileSync(process.env.BENCH_ANSWERS_FILE!, 'utf8')) as Record<string, string>).map(([body, answer]) => [
    body,
    Buffer.from(answer),
  ]),
);
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const answer = answers.get(Buffer.concat(chunks).toString());
    if (!answer) return response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': answer.length }).end(answer);
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
ready({ url: `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql` }, async () => {
  server.close();
});
