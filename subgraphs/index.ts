import type { SubgraphDefinition } from './runtime/server.js';
import { agriculture } from './agriculture/index.js';
import { civilService } from './civil-service/index.js';
import { health } from './health/index.js';
import { indicatorCatalog } from './indicators/index.js';
import { population } from './population/index.js';

/** Every subgraph with the port it listens on by default. */
export const subgraphs: ReadonlyArray<{ definition: SubgraphDefinition<unknown>; defaultPort: number }> = [
  { definition: population as SubgraphDefinition<unknown>, defaultPort: 4001 },
  { definition: civilService as SubgraphDefinition<unknown>, defaultPort: 4002 },
  { definition: agriculture as SubgraphDefinition<unknown>, defaultPort: 4003 },
  { definition: health as SubgraphDefinition<unknown>, defaultPort: 4004 },
  { definition: indicatorCatalog as SubgraphDefinition<unknown>, defaultPort: 4005 },
];

export function subgraphOf(name: string) {
  return subgraphs.find((subgraph) => subgraph.definition.name === name)!;
}
