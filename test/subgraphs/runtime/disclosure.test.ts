import { describe, expect, it } from 'vitest';
import { developmentDisclosureSecret, readSubgraphSettings } from '../../../platform/config.js';
import { countNesting } from '../../../subgraphs/runtime/count-nesting.js';
import {
  noiseBound,
  perturbationDepth,
  perturbationTable,
  perturbedCount,
  possibleNoises,
  publishCounts,
} from '../../../subgraphs/runtime/disclosure.js';

const secret = 'a-test-secret-of-more-than-32-characters';

describe('the perturbation table', () => {
  it('has rows of probabilities summing to 1, mean 0, within the bound, never below a count of 0', () => {
    perturbationTable.forEach((row, count) => {
      expect(row.reduce((sum, [, probability]) => sum + probability, 0)).toBeCloseTo(1, 12);
      expect(row.reduce((sum, [noise, probability]) => sum + noise * probability, 0)).toBeCloseTo(0, 12);
      for (const [noise] of row) {
        expect(Math.abs(noise)).toBeLessThanOrEqual(noiseBound);
        expect(count + noise).toBeGreaterThanOrEqual(0);
      }
    });
  });

  it('lets every published value come from at least three true counts', () => {
    for (let published = 0; published < 50; published++) {
      const sources = Array.from({ length: 60 }, (_, count) => count).filter((count) => possibleNoises(count).includes(published - count));
      expect(sources.length, `published ${published}`).toBeGreaterThanOrEqual(3);
    }
  });
});

describe('cell-key perturbation', () => {
  it('gives a cell the same figure every time, and keeps 0 at 0', () => {
    for (let count = 0; count < 200; count++)
      expect(perturbedCount(secret, 'residents', '00004', count)).toBe(perturbedCount(secret, 'residents', '00004', count));
    expect(perturbedCount(secret, 'residents', '00004', 0)).toBe(0);
  });

  it('adds a noise within the bound, drawn as the table says (mean 0), different for another secret', () => {
    const noises = Array.from({ length: 20_000 }, (_, index) => perturbedCount(secret, 'records', `u${index}`, 500) - 500);
    for (const noise of noises) expect(Math.abs(noise)).toBeLessThanOrEqual(noiseBound);
    const share = (value: number) => noises.filter((noise) => noise === value).length / noises.length;
    for (const [noise, probability] of perturbationTable[2]!) expect(share(noise)).toBeCloseTo(probability, 1);
    expect(Math.abs(noises.reduce((sum, noise) => sum + noise, 0) / noises.length)).toBeLessThan(0.05);
    const other = Array.from({ length: 200 }, (_, index) => perturbedCount(`${secret}!`, 'records', `u${index}`, 500) - 500);
    expect(other).not.toEqual(noises.slice(0, 200));
  });

  it('depends on what is counted, where and the true count, so each cell draws its own noise', () => {
    const figures = (vary: (index: number) => [string, string, number]) =>
      new Set(Array.from({ length: 100 }, (_, index) => perturbedCount(secret, ...vary(index)) - vary(index)[2]));
    expect(figures((index) => [`count${index}`, '01', 100]).size).toBeGreaterThan(1);
    expect(figures((index) => ['residents', `${index}`, 100]).size).toBeGreaterThan(1);
    expect(figures((index) => ['residents', '01', 100 + index]).size).toBeGreaterThan(1);
  });

  it('mirrors a negative difference: never crosses 0, within the bound', () => {
    for (let count = 1; count < 50; count++) {
      const published = perturbedCount(secret, 'gap', '01', -count);
      expect(published).toBeLessThanOrEqual(0);
      expect(possibleNoises(count)).toContain(-published - count);
    }
  });
});

describe('publishing an area', () => {
  const area = { residents: 40, residents_14_plus: 31, eid_activated: 31, eid_level2: 12, households: 9 };

  it('publishes a part as its whole minus their perturbed difference: never above the whole, equal when the difference is 0', () => {
    for (let unit = 0; unit < 500; unit++) {
      const { counts } = publishCounts(secret, 10, countNesting, `${unit}`, area);
      expect(counts.residents_14_plus).toBeLessThanOrEqual(counts.residents!);
      expect(counts.eid_activated).toBe(counts.residents_14_plus);
      expect(counts.eid_level2).toBeLessThanOrEqual(counts.eid_activated!);
      expect(counts.residents! - counts.residents_14_plus!).toBe(perturbedCount(secret, 'residents-residents_14_plus', `${unit}`, 9));
      for (const [count, value] of Object.entries(counts))
        expect(Math.abs(value - area[count as keyof typeof area])).toBeLessThanOrEqual(perturbationDepth(countNesting, count) * noiseBound);
    }
  });

  it('hides exactly the counts whose published figure is below the minimum', () => {
    let hidden = 0;
    for (let unit = 0; unit < 500; unit++) {
      const { counts, suppressed } = publishCounts(secret, 10, countNesting, `${unit}`, area);
      for (const count of Object.keys(area)) expect(suppressed[count], count).toBe(counts[count]! < 10);
      if (suppressed.households) hidden++;
    }
    // 9 households read 9 or less most of the time, 10 or 11 sometimes.
    expect(hidden).toBeGreaterThan(300);
    expect(hidden).toBeLessThan(500);
  });

  it('perturbs a count whose whole is not among the area counts on its own', () => {
    expect(publishCounts(secret, 1, countNesting, '01', { eid_level2: 500 }).counts.eid_level2).toBe(
      perturbedCount(secret, 'eid_level2', '01', 500),
    );
  });

  it('names wholes that are counts of the same agency, with no cycle', () => {
    for (const count of Object.keys(countNesting)) expect(perturbationDepth(countNesting, count)).toBeLessThanOrEqual(4);
  });
});

describe('the disclosure secret (DISCLOSURE_SECRET)', () => {
  const everyAgencyElsewhere = {
    SUBGRAPH_POPULATION_URL: 'http://population:4001/graphql',
    SUBGRAPH_CIVIL_SERVICE_URL: 'http://civil-service:4002/graphql',
    SUBGRAPH_AGRICULTURE_URL: 'http://agriculture:4003/graphql',
    SUBGRAPH_HEALTH_URL: 'http://health:4004/graphql',
  };

  it('is a fixed development one unless set, and taken as set', () => {
    expect(readSubgraphSettings({}).disclosureSecret).toBe(developmentDisclosureSecret);
    expect(readSubgraphSettings({ DISCLOSURE_SECRET: secret }).disclosureSecret).toBe(secret);
  });

  it('must be set in production wherever counts are published, and long enough', () => {
    expect(() => readSubgraphSettings({ DEPLOYMENT: 'production' })).toThrow(/DISCLOSURE_SECRET must be set in production/);
    expect(() => readSubgraphSettings({ DEPLOYMENT: 'production', ...everyAgencyElsewhere, SUBGRAPH_HEALTH_URL: '' })).toThrow(
      /DISCLOSURE_SECRET/,
    );
    expect(readSubgraphSettings({ DEPLOYMENT: 'production', DISCLOSURE_SECRET: secret }).disclosureSecret).toBe(secret);
    expect(() => readSubgraphSettings({ DISCLOSURE_SECRET: 'short' })).toThrow(/DISCLOSURE_SECRET must be 32 characters or more/);
  });

  it('is not needed by a gateway whose agency subgraphs all run elsewhere', () => {
    expect(() => readSubgraphSettings({ DEPLOYMENT: 'production', ...everyAgencyElsewhere })).not.toThrow();
  });
});
