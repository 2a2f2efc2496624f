import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitiesQuery, startTestSubgraph, type TestSubgraph } from '../../support/subgraph.js';

describe('civil-service subgraph alone', () => {
  let subgraph: TestSubgraph;
  let servants: Array<{ pin: string; workplace: string; left: string | null }>;
  beforeAll(async () => {
    subgraph = await startTestSubgraph('civil-service');
    servants = await subgraph.databases
      .get('civil-service')
      .query('SELECT pin, workplace_commune_code AS workplace, left_on AS left FROM civil_servant ORDER BY id LIMIT 60');
  });
  afterAll(() => subgraph?.stop());

  it('resolves civil servants of many citizens with one statement per entity type', async () => {
    let answer!: Awaited<
      ReturnType<
        typeof subgraph.query<{
          _entities: Array<{ civilServant: { inService: boolean; workplace: { code: string }; pinCheck: { status: string } } }>;
        }>
      >
    >;
    const statements = await subgraph.statementsDuring(async () => {
      answer = await subgraph.query(
        entitiesQuery(
          '... on Citizen { civilServant { inService agency { name level } rank { code name } workplace { code } pinCheck { status } } }',
        ),
        { representations: servants.map((servant) => ({ __typename: 'Citizen', pin: servant.pin })) },
      );
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toHaveLength(servants.length);
    answer.data!._entities.forEach((entity, index) => {
      expect(entity.civilServant).toMatchObject({
        inService: servants[index]!.left === null,
        workplace: { code: servants[index]!.workplace },
        pinCheck: { status: 'UNCHECKED' },
      });
    });
    // The PIN checks come from the store, in one statement too.
    expect(statements.map((text) => /FROM ((?:store_civil_service\.)?\w+)/.exec(text)![1]).sort()).toEqual([
      'agency',
      'civil_servant',
      'rank',
      'store_civil_service.pin_check',
    ]);
  });

  it('lists a commune’s civil servants across pages without gaps or repeats', async () => {
    const commune = servants[0]!.workplace;
    const [{ total }] = (await subgraph.databases
      .get('civil-service')
      .query<{ total: number }>('SELECT count(*) AS total FROM civil_servant WHERE workplace_commune_code = $1', [commune])) as [
      { total: number },
    ];
    const ids: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const answer: {
        data?: { civilServants: { nodes: Array<{ id: string }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } | null;
      } = await subgraph.query(
        `query ($commune: ID!, $after: String) { civilServants(communeCode: $commune, first: 1, after: $after) { nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { commune, after },
      );
      ids.push(...answer.data!.civilServants.nodes.map((node) => node.id));
      if (!answer.data!.civilServants.pageInfo.hasNextPage) break;
      after = answer.data!.civilServants.pageInfo.endCursor;
    }
    expect(ids).toHaveLength(total);
    expect(new Set(ids).size).toBe(total);
  });
});
