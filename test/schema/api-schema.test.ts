import { buildSchema, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readApiSchema } from '../../scripts/compose/api-schema.js';
import { composeSchemas } from '../../scripts/compose/supergraph.js';

describe('schema/api.graphql', () => {
  it('is what `npm run compose` makes from the subgraph SDLs now (run it and commit the result if this fails)', () => {
    expect(readApiSchema()).toBe(composeSchemas().api);
  });

  it('shows clients nothing of federation: no hidden field or type, no join__ or link__ machinery, no directive', () => {
    const schema = buildSchema(readApiSchema());
    const names = Object.keys(schema.getTypeMap());
    expect(names.filter((name) => /^(join__|link__|_)/.test(name) && !name.startsWith('__'))).toEqual([]);
    expect(names).not.toContain('IndicatorValueHolder');
    const areaStats = schema.getType('AreaStats');
    expect(isObjectType(areaStats) && Object.keys(areaStats.getFields())).toEqual(expect.arrayContaining(['eIdAdoption', 'ehrCoverage']));
    expect(isObjectType(areaStats) && Object.keys(areaStats.getFields())).not.toContain('residentCount');
    expect(schema.getQueryType()?.getFields()).not.toHaveProperty('_entities');
    expect(readApiSchema()).not.toMatch(/@(join__|link|inaccessible|requiresScopes|authenticated|cost|listSize|key)\b/);
  });
});
