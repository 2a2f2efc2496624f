import { buildASTSchema, getNamedType, getNullableType, isListType, isObjectType, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { readCostModel } from '../../../gateway/cost/model.js';
import { readSupergraph } from '../../../gateway/supergraph.js';
import { readAdministrativeUnits } from '../../../subgraphs/population/administrative-units.js';
import { maximumEncounters } from '../../../subgraphs/health/resolvers.js';
import { maximumPinsPerRequest } from '../../../subgraphs/population/resolvers.js';
import { indicators, sourcesOf } from '../../../platform/indicators/catalog.js';
import { tasks } from '../../../platform/indicators/tasks.js';
import { maximumSeriesLength } from '../../../platform/period.js';

const supergraph = parse(readSupergraph());
const { listSizes } = readCostModel(supergraph);
const assumed = (coordinate: string) => listSizes.get(coordinate)?.assumedSize;

describe('the list sizes the subgraph SDLs declare for demand control', () => {
  it('match the administrative units: 3,321 communes, and the most children a province has', async () => {
    const units = await readAdministrativeUnits();
    const communes = units.filter((unit) => unit.level === 'COMMUNE');
    const childrenPerProvince = new Map<string, number>();
    for (const commune of communes) childrenPerProvince.set(commune.parent_code!, (childrenPerProvince.get(commune.parent_code!) ?? 0) + 1);
    const mostChildren = Math.max(...childrenPerProvince.values());
    const provinces = units.filter((unit) => unit.level === 'PROVINCE').length;
    expect(assumed('Query.areaStats')).toBe(communes.length);
    expect(assumed('AdministrativeUnit.children')).toBe(mostChildren);
    // Provinces, or the communes of one province.
    expect(assumed('Query.administrativeUnits')).toBe(Math.max(provinces, mostChildren));
  });

  it('match the limits the subgraphs enforce', () => {
    expect(assumed('Query.areaSeries')).toBe(maximumSeriesLength);
    expect(assumed('Query.citizens')).toBe(maximumPinsPerRequest);
    expect(listSizes.get('HealthRecord.encounters')).toEqual({
      assumedSize: maximumEncounters,
      slicingArguments: ['last'],
      sizedFields: [],
    });
    for (const page of ['Query.healthRecords', 'Query.civilServants', 'Query.farmHouseholds']) {
      expect(listSizes.get(page)).toEqual({ slicingArguments: ['first'], sizedFields: ['nodes'] });
    }
  });

  it('are at least as long as the catalogue of tasks and indicators', () => {
    expect(assumed('Query.tasks')).toBe(tasks.length);
    expect(assumed('Query.indicators')).toBeGreaterThanOrEqual(indicators.length);
    expect(assumed('Task.indicators')).toBeGreaterThanOrEqual(indicators.length);
    expect(assumed('IndicatorDefinition.targets')).toBeGreaterThanOrEqual(
      Math.max(...indicators.map((indicator) => indicator.targets.length)),
    );
    expect(assumed('IndicatorDefinition.sources')).toBeGreaterThanOrEqual(
      Math.max(...indicators.map((indicator) => sourcesOf(indicator).length)),
    );
  });

  it('give every list of objects a size: its own @listSize, or its page field’s sizedFields', () => {
    const schema = buildASTSchema(supergraph, { assumeValidSDL: true });
    const sizedByPage = new Set<string>();
    for (const [coordinate, size] of listSizes) {
      const [typeName, fieldName] = coordinate.split('.') as [string, string];
      const type = schema.getType(typeName);
      const page = isObjectType(type) ? getNamedType(type.getFields()[fieldName]!.type) : undefined;
      for (const field of size.sizedFields) sizedByPage.add(`${page?.name}.${field}`);
    }
    const unsized: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type.name.startsWith('join__') || type.name.startsWith('link__')) continue;
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (
          isListType(getNullableType(field.type)) &&
          isObjectType(getNamedType(field.type)) &&
          !listSizes.has(coordinate) &&
          !sizedByPage.has(coordinate)
        )
          unsized.push(coordinate);
      }
    }
    expect(unsized).toEqual([]);
  });
});
