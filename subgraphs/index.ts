import { defaultPortOf, subgraphNames, type SubgraphName } from '../platform/agencies.js';
import type { SubgraphDefinition } from './runtime/server.js';
import { agriculture } from './agriculture/index.js';
import { civilService } from './civil-service/index.js';
import { health } from './health/index.js';
import { indicatorCatalog } from './indicators/index.js';
import { population } from './population/index.js';

/** Every subgraph with the port it listens on by default. */
const definitions: Record<SubgraphName, SubgraphDefinition<unknown>> = {
  population: population as SubgraphDefinition<unknown>,
  'civil-service': civilService as SubgraphDefinition<unknown>,
  agriculture: agriculture as SubgraphDefinition<unknown>,
  health: health as SubgraphDefinition<unknown>,
  indicators: indicatorCatalog as SubgraphDefinition<unknown>,
};

/** Every subgraph, in registry order, with the port it listens on by default (platform/agencies.ts). */
export const subgraphs: ReadonlyArray<{ definition: SubgraphDefinition<unknown>; defaultPort: number }> = subgraphNames.map((name) => ({
  definition: definitions[name],
  defaultPort: defaultPortOf(name),
}));

export function subgraphOf(name: string) {
  return subgraphs.find((subgraph) => subgraph.definition.name === name)!;
}
