import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entitiesQuery, startTestSubgraph, type TestSubgraph } from '../../support/subgraph.js';

describe('health subgraph alone', () => {
  let subgraph: TestSubgraph;
  let pins: string[];
  beforeAll(async () => {
    subgraph = await startTestSubgraph('health');
    pins = (await subgraph.databases.get('health').query<{ pin: string }>('SELECT pin FROM health_record ORDER BY id LIMIT 200')).map(
      (row) => row.pin,
    );
  });
  afterAll(() => subgraph?.stop());

  it('batches: 200 citizens with records, facilities and encounters make one statement per entity type', async () => {
    const representations = pins.map((pin) => ({ __typename: 'Citizen', pin }));
    let answer!: Awaited<
      ReturnType<typeof subgraph.query<{ _entities: Array<{ healthRecord: { createdAt: string; encounters: unknown[] } | null }> }>>
    >;
    const statements = await subgraph.statementsDuring(async () => {
      answer = await subgraph.query(
        entitiesQuery('... on Citizen { healthRecord { createdAt facility { name level } encounters(last: 5) { occurredOn icd10Code } } }'),
        {
          representations,
        },
      );
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toHaveLength(200);
    expect(answer.data!._entities.every((citizen) => citizen.healthRecord !== null)).toBe(true);
    expect(statements.map((text) => /FROM (\w+)/.exec(text)![1]).sort()).toEqual(['encounter', 'facility', 'health_record']);
  });

  it('gives the most recent encounters first, no more than asked', async () => {
    const [busiest] = await subgraph.databases
      .get('health')
      .query<{ pin: string; visits: number }>(
        'SELECT r.pin, count(*) AS visits FROM encounter e JOIN health_record r ON r.id = e.health_record_id GROUP BY r.pin ORDER BY 2 DESC, 1 LIMIT 1',
      );
    const answer = await subgraph.query<{ _entities: Array<{ healthRecord: { encounters: Array<{ occurredOn: string }> } }> }>(
      entitiesQuery('... on Citizen { healthRecord { encounters(last: 2) { occurredOn } } }'),
      { representations: [{ __typename: 'Citizen', pin: busiest!.pin }] },
    );
    // More visits than asked for, so the oldest ones, or a wrong order, would show.
    expect(busiest!.visits).toBeGreaterThan(2);
    const latest = await subgraph.databases
      .get('health')
      .query<{ occurred_on: string }>(
        'SELECT e.occurred_on FROM encounter e JOIN health_record r ON r.id = e.health_record_id WHERE r.pin = $1 ORDER BY e.occurred_on DESC LIMIT 2',
        [busiest!.pin],
      );
    const dates = answer.data!._entities[0]!.healthRecord.encounters.map((encounter) => encounter.occurredOn);
    expect(dates).toEqual(latest.map((encounter) => encounter.occurred_on));
  });

  it('answers null for a citizen without a record', async () => {
    const answer = await subgraph.query<{ _entities: Array<{ pin: string; healthRecord: null }> }>(
      entitiesQuery('... on Citizen { pin healthRecord { id } }'),
      {
        representations: [{ __typename: 'Citizen', pin: '001090999999' }],
      },
    );
    expect(answer.data!._entities).toEqual([{ pin: '001090999999', healthRecord: null }]);
  });

  it('lists the records of a commune a page at a time', async () => {
    const [commune] = await subgraph.databases
      .get('health')
      .query<{ code: string; records: number }>(
        'SELECT commune_code AS code, count(*) AS records FROM health_record GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1',
      );
    const first = await subgraph.query<{
      healthRecords: { nodes: Array<{ id: string; holder: { pin: string } }>; pageInfo: { hasNextPage: boolean; endCursor: string } };
    }>(
      `query ($code: ID!) { healthRecords(communeCode: $code, first: 3) { nodes { id holder { pin } } pageInfo { hasNextPage endCursor } } }`,
      { code: commune!.code },
    );
    expect(first.data!.healthRecords.nodes).toHaveLength(Math.min(3, commune!.records));
    expect(first.data!.healthRecords.pageInfo.hasNextPage).toBe(commune!.records > 3);
  });
});
