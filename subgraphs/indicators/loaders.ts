import type { SubgraphContext } from '../runtime/context.js';

/** The catalog lives in code (catalog.ts): nothing to batch. */
export function createLoaders() {
  return {};
}

export type Loaders = ReturnType<typeof createLoaders>;
export type Context = SubgraphContext<Loaders>;
