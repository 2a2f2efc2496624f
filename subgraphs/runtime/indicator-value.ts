import { scaleOf, targetIn, type IndicatorDefinition } from '../../platform/indicators/catalog.js';
import type { Period } from '../../platform/period.js';

/** An indicator's figure for one area and period, as every subgraph answers it. */
export interface IndicatorValue {
  readonly indicator: { readonly id: string };
  readonly numerator: number | null;
  readonly denominator: number | null;
  readonly value: number | null;
  readonly target: number | null;
  readonly gap: number | null;
  readonly meetsTarget: boolean | null;
  readonly suppressed: boolean;
}

/** One count with its disclosure decision. */
export interface DisclosedCount {
  readonly count: number;
  readonly suppressed: boolean;
}

/**
 * An indicator for a period from its numerator and denominator counts: either
 * count hidden by disclosure control hides all three figures; the target is
 * the one in force in the period's year.
 */
export function indicatorFor(
  definition: IndicatorDefinition,
  period: Period,
  numerator: DisclosedCount,
  denominator: DisclosedCount,
): IndicatorValue {
  const target = targetIn(definition, period.year)?.value ?? null;
  const hidden = numerator.suppressed || denominator.suppressed;
  const value = hidden || denominator.count === 0 ? null : round((numerator.count / denominator.count) * scaleOf[definition.unit]);
  const gap = value === null || target === null ? null : round(value - target);
  const meetsTarget =
    gap === null || definition.direction === 'NONE' ? null : definition.direction === 'HIGHER_IS_BETTER' ? gap >= 0 : gap <= 0;
  return {
    indicator: { id: definition.id },
    numerator: hidden ? null : numerator.count,
    denominator: hidden ? null : denominator.count,
    value,
    target,
    gap,
    meetsTarget,
    suppressed: hidden,
  };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * A count another subgraph supplies through @requires. The gateway always sends
 * it; a caller that reaches a subgraph directly without it gets an error, not a
 * figure computed from nothing.
 */
export function requiredCount(count: unknown, suppressed: unknown, name: string, agency: string): DisclosedCount {
  if (typeof count !== 'number' || typeof suppressed !== 'boolean') {
    throw new Error(`${name} is supplied by the ${agency} subgraph through the gateway (@requires) and was missing`);
  }
  return { count, suppressed };
}
