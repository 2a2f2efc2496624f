/** `npm run cache:invalidate -- --subgraph NAME | --type TYPE | --all`: drops cached answers after a change made outside the tools. */
import './node-version.js';
import { parseArgs } from 'node:util';
import { announceDataChange } from '../gateway/cache/announce.js';
import { subgraphsOfType } from '../gateway/cache/invalidation.js';
import { readSupergraph } from '../gateway/supergraph.js';
import { subgraphNames } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { runCli } from './cli.js';

const usage = `Usage: npm run cache:invalidate -- --subgraph ${subgraphNames.join('|')} | --type AreaStats | --all`;

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: { subgraph: { type: 'string', multiple: true }, type: { type: 'string', multiple: true }, all: { type: 'boolean' } },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}. ${usage}`);
  }
  const subgraphs = new Set<string>(values.all ? subgraphNames : []);
  for (const name of values.subgraph ?? []) {
    if (!(subgraphNames as readonly string[]).includes(name)) throw badUserInput(`--subgraph ${name} is not a subgraph. ${usage}`);
    subgraphs.add(name);
  }
  for (const type of values.type ?? []) {
    const owners = subgraphsOfType(readSupergraph(), type);
    if (owners.length === 0) throw badUserInput(`--type ${type} is not a type of the supergraph. ${usage}`);
    owners.forEach((owner) => subgraphs.add(owner));
  }
  if (subgraphs.size === 0) throw badUserInput(`Say what changed. ${usage}`);
  console.log(await announceDataChange([...subgraphs]));
});
