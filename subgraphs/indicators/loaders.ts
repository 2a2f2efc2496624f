import type { SubgraphContext } from '../runtime/context.js';

/** The catalogue lives in code (platform/indicators/): nothing to batch. */
export function createLoaders() {
  return {};
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
