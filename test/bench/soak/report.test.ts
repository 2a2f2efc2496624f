import { describe, expect, it } from 'vitest';
import { percentile, recoverySeconds, summarisePhase } from '../../../bench/soak/report.js';
import { outcomeOf, type Observation } from '../../../bench/soak/traffic.js';

const observation = (overrides: Partial<Observation>): Observation => ({
  phase: 'fault',
  class: 'lookup',
  name: 'citizen',
  sentAt: 0,
  doneAt: 10,
  status: 200,
  outcome: 'ok',
  codes: [],
  requestId: undefined,
  message: undefined,
  personalAnswer: false,
  ...overrides,
});

describe('the soak report', () => {
  it('tells the outcomes of answers apart', () => {
    expect(outcomeOf(200, { data: { citizen: { pin: '1' } } })).toBe('ok');
    expect(outcomeOf(200, { data: { citizen: { pin: '1' } }, errors: [{}] })).toBe('partial');
    expect(outcomeOf(200, { data: { citizen: null }, errors: [{}] })).toBe('failed');
    expect(outcomeOf(200, { data: { areaStats: [] }, extensions: { stale: { ageSeconds: 3 } } })).toBe('stale');
    expect(outcomeOf(403, { errors: [{}] })).toBe('refused');
    expect(outcomeOf(503, { errors: [{}] })).toBe('failed');
    expect(outcomeOf(0, undefined)).toBe('no-answer');
  });

  it('takes percentiles by rank', () => {
    expect(percentile([], 0.99)).toBe(0);
    expect(percentile([5, 1, 3, 2, 4], 0.5)).toBe(3);
    expect(
      percentile(
        Array.from({ length: 100 }, (_, index) => index + 1),
        0.99,
      ),
    ).toBe(99);
  });

  it('counts recovery from the restoration to the first ok answer of every class the fault disturbed', () => {
    const window = { fault: 'fault', injectedAt: 1_000, restoredAt: 5_000 };
    const observations = [
      observation({ class: 'lookup', sentAt: 2_000, doneAt: 2_100, outcome: 'failed' }),
      observation({ class: 'dashboard', sentAt: 2_000, doneAt: 2_100, outcome: 'ok' }),
      // Ok, but sent before the restoration: not evidence of recovery.
      observation({ class: 'lookup', sentAt: 4_900, doneAt: 5_200, outcome: 'ok' }),
      observation({ class: 'lookup', sentAt: 5_100, doneAt: 5_300, outcome: 'failed' }),
      observation({ class: 'lookup', sentAt: 6_000, doneAt: 7_250, outcome: 'ok' }),
      observation({ class: 'hostile', sentAt: 2_000, doneAt: 2_100, outcome: 'refused' }),
    ];
    expect(recoverySeconds(window, observations)).toEqual({ seconds: 2.3, disturbed: ['lookup'] });
    expect(recoverySeconds(window, observations.slice(0, 4))).toEqual({ seconds: null, disturbed: ['lookup'] });
    expect(recoverySeconds(window, [observations[1]!])).toEqual({ seconds: 0, disturbed: [] });
  });

  it('summarises a phase: users apart from hostile requests and /healthz, 5xx by status and code', () => {
    const summary = summarisePhase(
      'fault',
      [
        observation({ outcome: 'failed', status: 503, codes: ['AUDIT_UNAVAILABLE'], message: 'down', doneAt: 40 }),
        observation({ outcome: 'ok', doneAt: 20 }),
        observation({ class: 'hostile', outcome: 'refused', status: 400, codes: ['COST_LIMIT_EXCEEDED'], doneAt: 1 }),
        observation({ class: 'healthz', outcome: 'answered', doneAt: 7 }),
        observation({ phase: 'other', outcome: 'failed', status: 500, doneAt: 1_000 }),
      ],
      [
        { phase: 'fault', bytes: 300, heapUsedBytes: 100 },
        { phase: 'other', bytes: 900, heapUsedBytes: 800 },
      ],
    );
    expect(summary).toEqual({
      phase: 'fault',
      requests: 3,
      outcomes: { failed: 1, ok: 1 },
      codes: { AUDIT_UNAVAILABLE: 1 },
      hostile: { '400 COST_LIMIT_EXCEEDED': 1 },
      serverErrors: { '503 AUDIT_UNAVAILABLE': 1 },
      p50Ms: 20,
      p99Ms: 40,
      healthzP99Ms: 7,
      healthzMaxMs: 7,
      peakRssBytes: 300,
      peakHeapUsedBytes: 100,
      messages: { 'lookup: down': 1 },
    });
  });
});
