import type { Agency } from './runtime/config.js';
import type { SubgraphDefinition } from './runtime/server.js';
import { agriculture } from './agriculture/index.js';
import { civilService } from './civil-service/index.js';
import { health } from './health/index.js';
import { population } from './population/index.js';

/** Every subgraph with the port it listens on by default (4005 is kept for the indicators subgraph). */
export const subgraphs: ReadonlyArray<{ definition: SubgraphDefinition<unknown>; defaultPort: number }> = [
  { definition: population as SubgraphDefinition<unknown>, defaultPort: 4001 },
  { definition: civilService as SubgraphDefinition<unknown>, defaultPort: 4002 },
  { definition: agriculture as SubgraphDefinition<unknown>, defaultPort: 4003 },
  { definition: health as SubgraphDefinition<unknown>, defaultPort: 4004 },
];

export function subgraphOf(name: Agency) {
  return subgraphs.find((subgraph) => subgraph.definition.name === name)!;
}
