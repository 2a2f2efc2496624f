import { describe, expect, it } from 'vitest';
import { agencies } from '../../platform/config.js';
import { agencyCounts, agencySources } from '../../subgraphs/agencies.js';

describe('the source contracts', () => {
  it('name every relation differently across the four agencies, so one source schema can hold them all', () => {
    const names = agencies.flatMap((agency) => agencySources[agency].relations.map((relation) => relation.name));
    expect(names.length).toBeGreaterThan(agencies.length);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it.each(agencies)('give %s every column its counts read, with a change_seq on each counted relation and a deletion log', (agency) => {
    const relations = new Map(
      agencySources[agency].relations.map((relation) => [relation.name, relation.columns.map((column) => column.name)]),
    );
    for (const counted of agencyCounts[agency].relations.filter((relation) => relation.origin === 'source')) {
      expect(relations.get(counted.relation), counted.relation).toEqual(expect.arrayContaining([...counted.columns, 'change_seq']));
    }
    expect(relations.get(`${agency.replace('-', '_')}_deletion`)).toEqual(['relation', 'key', 'change_seq']);
  });
});
