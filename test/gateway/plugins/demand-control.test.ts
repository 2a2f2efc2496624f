import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicators as catalogue } from '../../../platform/indicators/catalog.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

// Every indicator the catalogue declares.
const indicators = catalogue.map((indicator) => indicator.id);
/** What a dashboard asks: every indicator of every commune for one period. */
const dashboard = `{ areaStats(level: COMMUNE, period: "2025") { unitCode unit { name } ${indicators.map((name) => `${name} { value numerator denominator suppressed }`).join(' ')} } }`;

/** List-multiplying requests an anonymous caller can build from the schema. */
const hostile: ReadonlyArray<readonly [string, string, Record<string, unknown>?]> = [
  [
    'the children/parent chain of the issue',
    '{ administrativeUnits(level: PROVINCE) { children { parent { children { parent { children { code } } } } } } }',
  ],
  [
    'thirty aliases of every commune',
    `{ ${Array.from({ length: 30 }, (_, index) => `a${index}: areaStats(level: COMMUNE, period: "2025") { unitCode unit { code } }`).join(' ')} }`,
  ],
  [
    'a fragment that hides the nesting',
    'query { administrativeUnits(level: PROVINCE) { ...Down } } fragment Down on AdministrativeUnit { children { parent { children { parent { code } } } } }',
  ],
  [
    'a page size of a million in a variable',
    'query Page($size: Int) { healthRecords(communeCode: "00004", first: $size) { nodes { pin } } }',
    { size: 1_000_000 },
  ],
  [
    'every commune with its province and the province’s communes, four times over',
    `{ ${['a', 'b', 'c', 'd'].map((alias) => `${alias}: areaStats(level: COMMUNE, period: "2025") { unit { children { code } parent { code } } }`).join(' ')} }`,
  ],
];

describe('demand control', () => {
  let test: TestSystem;
  let plans = 0;
  beforeAll(async () => {
    test = await startTestSystem({ onQueryPlan: () => plans++ });
  });
  afterAll(() => test?.stop());

  it.each(hostile.map(([name, query, variables]) => ({ name, query, variables })))(
    'refuses $name with COST_LIMIT_EXCEEDED before anything is planned or fetched',
    async ({ query, variables }) => {
      const plansBefore = plans;
      const answer = await test.queryAs({}, query, variables);
      expect(answer.status).toBe(400);
      expect(answer.data).toBeUndefined();
      expect(answer.errors).toHaveLength(1);
      const [error] = answer.errors!;
      expect(error!.extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED', cost: expect.any(Number), limit: 100_000 });
      expect(error!.extensions!.cost as number).toBeGreaterThan(100_000);
      expect(error!.message).toMatch(/estimated cost, \d+, is over the 100000 allowed to an anonymous caller/);
      expect(plans).toBe(plansBefore);
    },
  );

  it('keeps /healthz answering while a burst of such requests arrives', async () => {
    const burst = Array.from({ length: 40 }, (_, index) =>
      test.queryAs({}, hostile[index % hostile.length]![1], hostile[index % hostile.length]![2]),
    );
    const health = await fetch(new URL('/healthz', test.system.gateway.url));
    const answers = await Promise.all(burst);
    expect(health.status).toBe(200);
    expect(new Set(answers.map((answer) => `${answer.status} ${answer.errors?.[0]?.extensions?.code}`))).toEqual(
      new Set(['400 COST_LIMIT_EXCEEDED']),
    );
  });

  it('lets an anonymous caller have the dashboard of every indicator of the 3,321 communes', async () => {
    const answer = await test.queryAs<{ areaStats: unknown[] }>({}, dashboard);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.areaStats).toHaveLength(3_321);
  });

  it('gives an authenticated caller the larger budget', async () => {
    // Two aliases of every commune with its province: about 113,000, between the two budgets.
    const query =
      '{ a: administrativeUnits(level: PROVINCE) { children { parent { code } } } b: administrativeUnits(level: PROVINCE) { children { parent { code } } } }';
    const anonymous = await test.queryAs({}, query);
    expect(anonymous.errors?.[0]?.extensions).toEqual({ code: 'COST_LIMIT_EXCEEDED', cost: 2 * 168 * (1 + 168 * 2), limit: 100_000 });
    const analyst = await test.query(query);
    expect(analyst.errors).toBeUndefined();
    expect((analyst.data as { a: unknown[] }).a).toHaveLength(34);
  });

  it('records the estimates in /metrics', async () => {
    const metrics = await (await fetch(new URL('/metrics', test.system.gateway.url))).text();
    const count = Number(/^gateway_operation_estimated_cost_count (\d+)$/m.exec(metrics)?.[1]);
    // At least every request of this file so far was priced.
    expect(count).toBeGreaterThanOrEqual(hostile.length + 40 + 3);
    expect(metrics).toMatch(/^gateway_operation_estimated_cost_bucket\{le="\+Inf"\} \d+$/m);
  });
});
