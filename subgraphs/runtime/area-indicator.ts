import type DataLoader from 'dataloader';
import type { GraphQLResolveInfo } from 'graphql';
import type { Agency } from '../../platform/config.js';
import { indicators, sharedCounts, type CountOf, type IndicatorDefinition } from '../../platform/indicators/catalog.js';
import { parsePeriod } from '../../platform/period.js';
import { disclosed, type AreaCounts, type AreaInPeriod } from './area-counts.js';
import { hintForPeriods } from './cache-hints.js';
import { indicatorFor, requiredCount, type DisclosedCount, type IndicatorValue } from './indicator-value.js';
import type { AreaStatsRow } from './references.js';

interface AreaContext {
  readonly loaders: { readonly areaCounts: DataLoader<AreaInPeriod, AreaCounts<string>, string> };
}
type AreaField<Result> = (area: AreaStatsRow, args: unknown, context: AreaContext) => Promise<Result>;

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
 * An indicator's resolver on AreaStats: the numerator is one of the agency's
 * own counts, the denominator another of them or a count another agency
 * shares, which arrives with the entity through @requires.
 */
function indicatorResolver(definition: IndicatorDefinition): AreaField<IndicatorValue> {
  const { numerator, denominator } = definition;
  const field = denominator.agency === numerator.agency ? undefined : sharedFieldOf(denominator, definition.id);
  return async (area, _args, { loaders }) => {
    const counts = await loaders.areaCounts.load(area);
    const below: DisclosedCount = field
      ? requiredCount(area[field], area[`${field}Suppressed`], field, denominator.agency)
      : disclosed(counts, denominator.count);
    return indicatorFor(definition, area.period, disclosed(counts, numerator.count), below);
  };
}

/** How every agency resolves an AreaStats it is sent: its key with the period parsed once, what it requires, the period's cache hint. */
export function resolveAreaReference(
  reference: { unitCode: string; period: string },
  _context: unknown,
  info: GraphQLResolveInfo,
): AreaStatsRow {
  const row = { ...reference, period: parsePeriod(reference.period) };
  hintForPeriods(info, [row.period]);
  return row;
}

/**
 * An agency's part of AreaStats, derived from the catalogue: the reference
 * resolver, `period`, one field per indicator it computes and the counts it
 * shares with other agencies. A count the catalogue names that the agency
 * does not keep stops the subgraph at start-up.
 */
export function areaStatsResolvers(agency: Agency, counts: readonly string[]) {
  const resolvers: Record<string, unknown> = {
    __resolveReference: resolveAreaReference,
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
    const countOf: AreaField<DisclosedCount> = async (area, _args, { loaders }) =>
      disclosed(await loaders.areaCounts.load(area), shared.count);
    resolvers[shared.field] = async (...args: Parameters<AreaField<unknown>>) => (await countOf(...args)).count;
    resolvers[`${shared.field}Suppressed`] = async (...args: Parameters<AreaField<unknown>>) => (await countOf(...args)).suppressed;
  }
  return resolvers;
}
