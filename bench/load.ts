/**
 * The load generator, in a process of its own so that it does not share an
 * event loop with what it measures: autocannon against one URL with one
 * request, for a duration, printing its result as JSON on the last line.
 */
import autocannon from 'autocannon';
import { loadResultOf } from './support/load-result.js';

interface LoadSpec {
  readonly url: string;
  readonly body: string;
  readonly headers: Record<string, string>;
  readonly connections: number;
  readonly seconds: number;
}

const spec = JSON.parse(process.env.BENCH_LOAD!) as LoadSpec;
const result = await autocannon({
  url: spec.url,
  method: 'POST',
  headers: { 'content-type': 'application/json', ...spec.headers },
  body: spec.body,
  connections: spec.connections,
  duration: spec.seconds,
  timeout: 30,
});
process.stdout.write(`${JSON.stringify(loadResultOf(result))}\n`);
