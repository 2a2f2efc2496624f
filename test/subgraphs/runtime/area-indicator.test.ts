import { readFileSync } from 'node:fs';
import { Kind, parse, print, type FieldDefinitionNode, type ObjectTypeDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { agencies, type Agency } from '../../../platform/config.js';
import { indicators, sharedCounts } from '../../../platform/indicators/catalog.js';
import { tasks } from '../../../platform/indicators/tasks.js';
import { agencyCounts } from '../../../subgraphs/agencies.js';
import { subgraphOf } from '../../../subgraphs/index.js';
import { areaStatsResolvers, indicatorsOf } from '../../../subgraphs/runtime/area-indicator.js';

/** An agency's AreaStats as its SDL declares it, field by field. */
function areaStatsFields(agency: Agency): Map<string, FieldDefinitionNode> {
  const document = parse(readFileSync(subgraphOf(agency).definition.schemaFile, 'utf8'));
  const areaStats = document.definitions.find(
    (definition): definition is ObjectTypeDefinitionNode =>
      definition.kind === Kind.OBJECT_TYPE_DEFINITION && definition.name.value === 'AreaStats',
  );
  return new Map((areaStats?.fields ?? []).map((field) => [field.name.value, field]));
}

const directive = (field: FieldDefinitionNode | undefined, name: string) => field?.directives?.find((found) => found.name.value === name);
const requiredFields = (field: FieldDefinitionNode | undefined) => {
  const argument = directive(field, 'requires')?.arguments?.[0]?.value;
  return argument?.kind === Kind.STRING ? argument.value.split(/\s+/).sort() : [];
};

describe('indicators declared once: the catalogue, each agency’s SDL and its resolvers agree', () => {
  it('names each indicator once, under a task of the decision', () => {
    expect(new Set(indicators.map((indicator) => indicator.id)).size).toBe(indicators.length);
    for (const indicator of indicators) expect(tasks.map((task) => task.number)).toContain(indicator.task);
  });

  it.each(agencies)('%s: its AreaStats declares exactly the indicators whose numerator it counts', (agency) => {
    const fields = areaStatsFields(agency);
    const indicatorFields = [...fields.values()]
      .filter((field) => print(field.type) === 'IndicatorValue!')
      .map((field) => field.name.value);
    expect(indicatorFields.sort()).toEqual(
      indicatorsOf(agency)
        .map((indicator) => indicator.id)
        .sort(),
    );
  });

  it.each(agencies)('%s: a denominator of another agency is required from the field that agency shares', (agency) => {
    const fields = areaStatsFields(agency);
    for (const indicator of indicatorsOf(agency)) {
      const { denominator } = indicator;
      const shared = sharedCounts.find((count) => count.agency === denominator.agency && count.count === denominator.count);
      if (denominator.agency === agency) {
        expect(requiredFields(fields.get(indicator.id)), indicator.id).toEqual([]);
        continue;
      }
      expect(shared, `${indicator.id} divides by a count no agency shares`).toBeDefined();
      expect(requiredFields(fields.get(indicator.id)), indicator.id).toEqual([shared!.field, `${shared!.field}Suppressed`].sort());
      for (const name of [shared!.field, `${shared!.field}Suppressed`])
        expect(directive(fields.get(name), 'external'), `${agency} declares ${name} @external`).toBeDefined();
    }
  });

  it.each(sharedCounts)('$agency shares $count as $field (kept from clients)', ({ agency, field }) => {
    const fields = areaStatsFields(agency);
    expect(print(fields.get(field)!.type)).toBe('Int!');
    expect(print(fields.get(`${field}Suppressed`)!.type)).toBe('Boolean!');
    for (const name of [field, `${field}Suppressed`]) expect(directive(fields.get(name), 'inaccessible')).toBeDefined();
  });

  it.each(agencies)('%s: its resolvers answer every indicator and shared count, from counts its table keeps', (agency) => {
    const resolvers = subgraphOf(agency).definition.resolvers as { AreaStats?: Record<string, unknown> };
    for (const indicator of indicatorsOf(agency)) expect(typeof resolvers.AreaStats?.[indicator.id], indicator.id).toBe('function');
    for (const { field } of sharedCounts.filter((count) => count.agency === agency)) {
      expect(typeof resolvers.AreaStats?.[field]).toBe('function');
      expect(typeof resolvers.AreaStats?.[`${field}Suppressed`]).toBe('function');
    }
    const counted = indicators
      .flatMap((indicator) => [indicator.numerator, indicator.denominator])
      .filter((count) => count.agency === agency);
    for (const { count } of counted) expect(agencyCounts[agency].counts).toContain(count);
  });

  it('stops a subgraph whose counts table lacks a count the catalogue names', () => {
    expect(() => areaStatsResolvers('health', ['records'])).toThrow(/active_records_12m, which its counts table does not keep/);
    expect(() => areaStatsResolvers('population', ['residents', 'residents_14_plus', 'eid_level2', 'eid_activated'])).toThrow(
      /householdCount counts population's households/,
    );
  });

  it('composes every indicator into the supergraph’s AreaStats', () => {
    const supergraph = readFileSync(new URL('../../../schema/supergraph.graphql', import.meta.url), 'utf8');
    const areaStats = /type AreaStats[^{]*\{([^}]*)\}/.exec(supergraph)?.[1] ?? '';
    for (const indicator of indicators) expect(areaStats).toMatch(new RegExp(`\\n\\s*${indicator.id}: IndicatorValue!`));
  });
});
