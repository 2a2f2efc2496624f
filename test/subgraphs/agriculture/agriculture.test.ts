import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitiesQuery, startTestSubgraph, type TestSubgraph } from '../../support/subgraph.js';

describe('agriculture subgraph alone', () => {
  let subgraph: TestSubgraph;
  let heads: string[];
  beforeAll(async () => {
    subgraph = await startTestSubgraph('agriculture');
    heads = (
      await subgraph.databases.get('agriculture').query<{ pin: string }>('SELECT head_pin AS pin FROM farm_household ORDER BY id LIMIT 80')
    ).map((row) => row.pin);
  });
  afterAll(() => subgraph?.stop());

  it('resolves farm households with their plots and herds in one statement per entity type', async () => {
    let answer!: Awaited<
      ReturnType<typeof subgraph.query<{ _entities: Array<{ farmHousehold: { headPin: string; cropPlots: Array<{ year: number }> } }> }>>
    >;
    const statements = await subgraph.statementsDuring(async () => {
      answer = await subgraph.query(
        entitiesQuery(
          '... on Citizen { farmHousehold { headPin areaHectares commune { code } cropPlots { crop season year } livestock { species headcount } } }',
        ),
        { representations: heads.map((pin) => ({ __typename: 'Citizen', pin })) },
      );
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities.map((entity) => entity.farmHousehold.headPin)).toEqual(heads);
    expect(answer.data!._entities.every((entity) => entity.farmHousehold.cropPlots.length >= 1)).toBe(true);
    expect(statements.map((text) => /FROM (\w+)/.exec(text)![1]).sort()).toEqual(['crop_plot', 'farm_household', 'livestock']);
  });

  it('refuses an unknown commune in its listing', async () => {
    const answer = await subgraph.query(`{ farmHouseholds(communeCode: "12345") { nodes { id } } }`);
    expect(answer.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT' },
      message: expect.stringContaining('no commune has code "12345"'),
    });
  });
});
