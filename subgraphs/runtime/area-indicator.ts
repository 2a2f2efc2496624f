import type DataLoader from 'dataloader';
import { Kind, type GraphQLResolveInfo, type SelectionNode } from 'graphql';
import type { Agency } from '../../platform/config.js';
import { indicators, sharedCounts, type CountOf, type IndicatorDefinition } from '../../platform/indicators/catalog.js';
import { parsePeriod } from '../../platform/period.js';
import { disclosed, type AreaCounts, type AreaInPeriod } from './area-counts.js';
import { hintForPeriods } from './cache-hints.js';
import type { CacheHints } from './cache-policy.js';
import { indicatorFor, requiredCount, type DisclosedCount, type IndicatorValue } from './indicator-value.js';
import type { AreaStatsRow } from './references.js';

interface AreaContext {
  readonly loaders: { readonly areaCounts: DataLoader<AreaInPeriod, AreaCounts<string>, string> };
  readonly cacheHints: CacheHints;
}

/** The AreaStats fields of an agency that read its counts: its indicators and the counts it shares. */
export function countFieldsOf(agency: Agency): ReadonlySet<string> {
  const shared = sharedCounts.filter((count) => count.agency === agency).flatMap(({ field }) => [field, `${field}Suppressed`]);
  return new Set([...indicatorsOf(agency).map((indicator) => indicator.id), ...shared]);
}

/** The indicators an agency computes: those whose numerator it counts. */
export const indicatorsOf = (agency: Agency) => indicators.filter((indicator) => indicator.numerator.agency === agency);

/** The field through which another agency's count reaches this one (@requires), or an error naming the gap in the catalogue. */
function sharedFieldOf(count: CountOf, indicatorId: string): string {
  const shared = sharedCounts.find((candidate) => candidate.agency === count.agency && candidate.count === count.count);
  if (!shared)
    throw new Error(`Indicator ${indicatorId} divides by ${count.agency}'s ${count.count}, which no agency shares (sharedCounts)`);
  return shared.field;
}

/**
 * Resolves a field from the area's counts: at once when they came with the
 * area (listed or referenced with them, see withCounts), else through the
 * request's counts loader. Answering synchronously matters: 3,321 communes
 * with a few indicators each would otherwise be tens of thousands of promises.
 */
function fromCounts<Result>(compute: (area: AreaStatsRow, counts: AreaCounts<string>) => Result) {
  return (area: AreaStatsRow, _args: unknown, { loaders }: AreaContext): Result | Promise<Result> =>
    area.counts ? compute(area, area.counts) : loaders.areaCounts.load(area).then((counts) => compute(area, counts));
}

/**
 * An indicator's resolver on AreaStats: the numerator is one of the agency's
 * own counts, the denominator another of them or a count another agency
 * shares, which arrives with the entity through @requires.
 */
function indicatorResolver(definition: IndicatorDefinition) {
  const { numerator, denominator } = definition;
  const field = denominator.agency === numerator.agency ? undefined : sharedFieldOf(denominator, definition.id);
  return fromCounts((area, counts): IndicatorValue => {
    const below: DisclosedCount = field
      ? requiredCount(area[field], area[`${field}Suppressed`], field, denominator.agency)
      : disclosed(counts, denominator.count);
    return indicatorFor(definition, area.period, disclosed(counts, numerator.count), below);
  });
}

/**
 * Areas with their counts, read in one batch, when the selection asks for a
 * field that needs them; as they were otherwise (a listing of units and names
 * reads no counts). An area whose counts fail keeps none: its fields then
 * fail one by one, with the loader's error.
 */
export async function withCounts(
  areas: readonly AreaStatsRow[],
  info: GraphQLResolveInfo,
  countFields: ReadonlySet<string>,
  { loaders }: AreaContext,
): Promise<AreaStatsRow[]> {
  if (areas.length === 0 || !selectsAny(info, countFields)) return [...areas];
  const counts = await loaders.areaCounts.loadMany(areas);
  return areas.map((area, index) => {
    const found = counts[index];
    return found instanceof Error || found === undefined ? area : { ...area, counts: found };
  });
}

// One answer per field node list: every representation of one _entities fetch shares it.
const selectsAnyMemo = new WeakMap<object, WeakMap<ReadonlySet<string>, boolean>>();

/** Whether the field's selection (through fragments, not into sub-fields) names any of these fields. */
function selectsAny(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  let byNames = selectsAnyMemo.get(info.fieldNodes);
  if (!byNames) selectsAnyMemo.set(info.fieldNodes, (byNames = new WeakMap()));
  let answer = byNames.get(names);
  if (answer === undefined) byNames.set(names, (answer = selects(info, names)));
  return answer;
}

function selects(info: GraphQLResolveInfo, names: ReadonlySet<string>): boolean {
  const visit = (selections: readonly SelectionNode[]): boolean =>
    selections.some((selection) => {
      if (selection.kind === Kind.FIELD) return names.has(selection.name.value);
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet.selections);
      const fragment = info.fragments[selection.name.value];
      return fragment ? visit(fragment.selectionSet.selections) : false;
    });
  return info.fieldNodes.some((node) => (node.selectionSet ? visit(node.selectionSet.selections) : false));
}

/**
 * How every agency resolves an AreaStats it is sent: its key with the period
 * parsed once, what it requires, its counts when the fetch asks for fields
 * that need them (the loader reads every representation's in one batch), the
 * period's cache hint.
 */
function referenceResolver(countFields: ReadonlySet<string>) {
  return (reference: { unitCode: string; period: string }, context: AreaContext, info: GraphQLResolveInfo) => {
    const row: AreaStatsRow = { ...reference, period: parsePeriod(reference.period) };
    hintForPeriods(context, info, [row.period]);
    if (!selectsAny(info, countFields)) return row;
    return context.loaders.areaCounts.load(row).then(
      (counts) => ({ ...row, counts }),
      // Its counts fail: its fields then fail one by one, with the loader's error.
      () => row,
    );
  };
}

/**
 * An agency's part of AreaStats, derived from the catalogue: the reference
 * resolver, `period`, one field per indicator it computes and the counts it
 * shares with other agencies. A count the catalogue names that the agency
 * does not keep stops the subgraph at start-up.
 */
export function areaStatsResolvers(agency: Agency, counts: readonly string[]) {
  const resolvers: Record<string, unknown> = {
    __resolveReference: referenceResolver(countFieldsOf(agency)),
    period: (area: AreaStatsRow) => area.period.text,
  };
  const kept = (count: CountOf, what: string) => {
    if (count.agency === agency && !counts.includes(count.count))
      throw new Error(`${what} counts ${agency}'s ${count.count}, which its counts table does not keep (${counts.join(', ')})`);
  };
  for (const definition of indicatorsOf(agency)) {
    kept(definition.numerator, `Indicator ${definition.id}`);
    kept(definition.denominator, `Indicator ${definition.id}`);
    resolvers[definition.id] = indicatorResolver(definition);
  }
  for (const shared of sharedCounts.filter((candidate) => candidate.agency === agency)) {
    kept({ ...shared, meaning: '' }, `Shared field ${shared.field}`);
    resolvers[shared.field] = fromCounts((_area, found) => found.counts[shared.count]);
    resolvers[`${shared.field}Suppressed`] = fromCounts((_area, found) => found.suppressed[shared.count]);
  }
  return resolvers;
}
