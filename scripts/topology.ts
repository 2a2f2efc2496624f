/**
 * `npm run topology [-- --gateways 2] [--citizens N] [--port P] [--postgres URL]`
 *
 * The replicated deployment, run on this machine: each subgraph in its own
 * process, N gateway replicas each in its own, a three-node Redis Cluster,
 * PostgreSQL databases of the run's own (seeded; dropped at the end) with one
 * audit database all replicas append to, and a round-robin balancer in front
 * (scripts/topology/). Prints the balancer's URL and a demo analyst token;
 * Ctrl-C stops everything and removes what the run made.
 */
import './node-version.js';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { demoAnalyst } from '../gateway/auth/jwt.js';
import { badUserInput } from '../platform/errors.js';
import { runCli } from './cli.js';
import { defaultPostgresUrl } from './topology/databases.js';
import { Topology } from './topology/topology.js';

const say = (line: string) => process.stderr.write(`${line}\n`);
const usage = 'usage: npm run topology -- [--gateways N] [--citizens N] [--port P] [--postgres URL]';

function readSettings() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        gateways: { type: 'string' },
        citizens: { type: 'string' },
        port: { type: 'string' },
        postgres: { type: 'string' },
      },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}; ${usage}`);
  }
  const whole = (name: string, value: string | undefined, fallback: number, minimum: number, maximum: number) => {
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < minimum || parsed > maximum)
      throw badUserInput(`--${name} must be a whole number from ${minimum} to ${maximum}, got "${value}"; ${usage}`);
    return parsed;
  };
  const postgresUrl = values.postgres ?? defaultPostgresUrl;
  if (!URL.canParse(postgresUrl) || !/^postgres(ql)?:$/.test(new URL(postgresUrl).protocol))
    throw badUserInput(`--postgres must be a URL of the form postgres://user@host:port/database, got "${postgresUrl}"; ${usage}`);
  return {
    gateways: whole('gateways', values.gateways, 2, 1, 16),
    citizens: whole('citizens', values.citizens, 5_000, 100, 10_000_000),
    port: whole('port', values.port, 4000, 0, 65_535),
    postgresUrl,
  };
}

runCli(async (signal) => {
  const settings = readSettings();
  const topology = await Topology.start({ ...settings, say, signal }).catch((error: unknown) => {
    if (!signal.aborted) throw error;
    // Ctrl-C during the start: what had started is stopped and removed already.
    say('Stopped before the topology was ready; nothing of it is left running.');
    return undefined;
  });
  if (!topology) return;
  try {
    say('Ready:');
    for (const [name, { url, service }] of topology.subgraphs) say(`  subgraph ${name.padEnd(13)} ${url}  (pid ${service.pid})`);
    for (const { label, url, service } of topology.gateways) say(`  ${label.padEnd(22)} ${url}  (pid ${service.pid})`);
    say(`  Redis Cluster          ${topology.redis!.url}`);
    say(`  logs                   ${topology.logDirectory}  (removed at the end)`);
    say(`  balancer               ${topology.url}  (round robin over the gateway replicas; clients go here)`);
    const token = await topology.token(demoAnalyst);
    say('  demo analyst token     (development only; valid 8 hours; every personal-data scope, schema:read, audit:read)');
    say(`    ${token}`);
    say('    Send it as {"authorization": "Bearer <token>", "x-purpose": "public-service"}');
    say('Kill a replica (kill -9 <pid>) to watch the balancer route around it; Ctrl-C stops everything.');
    if (!signal.aborted) await once(signal, 'abort');
    say('Shutting down the topology...');
  } finally {
    await topology.stop();
  }
});
