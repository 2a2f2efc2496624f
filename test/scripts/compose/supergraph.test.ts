import { describe, expect, it } from 'vitest';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { composeSupergraph } from '../../../scripts/compose/supergraph.js';

describe('schema/supergraph.graphql', () => {
  it('is what `npm run compose` makes from the subgraph SDLs now (run it and commit the result if this fails)', () => {
    expect(readSupergraph()).toBe(composeSupergraph());
  });
});
