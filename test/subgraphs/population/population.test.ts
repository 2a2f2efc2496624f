import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentDisclosureSecret } from '../../../platform/config.js';
import { openServer } from '../../../platform/database/postgres.js';
import { subgraphOf } from '../../../subgraphs/index.js';
import { startSubgraph } from '../../../subgraphs/runtime/server.js';
import { createTestDatabase } from '../../support/postgres.js';
import { entitiesQuery, startTestSubgraph, testSigningSecret, type TestSubgraph } from '../../support/subgraph.js';

describe('population subgraph alone', () => {
  let subgraph: TestSubgraph;
  let pins: string[];
  beforeAll(async () => {
    subgraph = await startTestSubgraph('population');
    pins = (await subgraph.databases.get('population').query<{ pin: string }>('SELECT pin FROM citizen ORDER BY pin LIMIT 40')).map(
      (row) => row.pin,
    );
  });
  afterAll(() => subgraph?.stop());

  it('resolves Citizen representations in order, null for an unknown or malformed PIN, with one statement per entity type', async () => {
    const representations = [...pins, '001090999999', 'bad'].map((pin) => ({ __typename: 'Citizen', pin }));
    let answer!: Awaited<
      ReturnType<typeof subgraph.query<{ _entities: Array<{ pin: string; residence: { code: string; parent: { code: string } } } | null> }>>
    >;
    const statements = await subgraph.statementsDuring(async () => {
      answer = await subgraph.query(entitiesQuery('... on Citizen { pin fullName residence { code parent { code } } eId { level } }'), {
        representations,
      });
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities.map((citizen) => citizen?.pin ?? null)).toEqual([...pins, null, null]);
    expect(answer.data!._entities[0]!.residence.parent.code).toMatch(/^\d{2}$/);
    // Citizens, their communes, then the communes' provinces: one statement each.
    expect(statements).toHaveLength(3);
    expect(statements[0]).toContain('FROM citizen');
  });

  it('resolves AdministrativeUnit representations, children of a province in code order', async () => {
    const answer = await subgraph.query<{ _entities: Array<{ code: string; level: string; children: Array<{ code: string }> } | null> }>(
      entitiesQuery('... on AdministrativeUnit { code level fullName children { code } }'),
      {
        representations: [
          { __typename: 'AdministrativeUnit', code: '79' },
          { __typename: 'AdministrativeUnit', code: '00004' },
          { __typename: 'AdministrativeUnit', code: '77' },
        ],
      },
    );
    expect(answer.errors).toBeUndefined();
    const [hoChiMinh, baDinh, missing] = answer.data!._entities;
    expect(hoChiMinh!.level).toBe('PROVINCE');
    const codes = hoChiMinh!.children.map((child) => child.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes.length).toBeGreaterThan(100);
    expect(baDinh).toMatchObject({ code: '00004', level: 'COMMUNE', children: [] });
    expect(missing).toBeNull();
  });

  it('answers its root fields', async () => {
    const answer = await subgraph.query<{ citizen: { pin: string }; provinces: unknown[]; communes: Array<{ code: string }> }>(
      `query ($pin: ID!) { citizen(pin: $pin) { pin } provinces: administrativeUnits(level: PROVINCE) { code } communes: administrativeUnits(level: COMMUNE, parentCode: "01") { code } }`,
      { pin: pins[0] },
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.citizen.pin).toBe(pins[0]);
    expect(answer.data!.provinces).toHaveLength(34);
    expect(answer.data!.communes.length).toBe(126);
  });

  it('asks for a province when listing communes', async () => {
    const answer = await subgraph.query(`{ administrativeUnits(level: COMMUNE) { code } }`);
    expect(answer.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: expect.stringContaining('parentCode') });
  });

  it('answers its probes: /livez, /readyz and /healthz', async () => {
    for (const probe of ['/livez', '/readyz', '/healthz']) {
      const response = await fetch(subgraph.server.url.replace('/graphql', probe));
      expect(response.status, probe).toBe(200);
      expect(await response.json()).toEqual({ subgraph: 'population', status: 'ok' });
    }
  });

  it('is not ready while its store does not answer, and still alive', async () => {
    // A store that is gone: a pool of a database of its own, closed.
    const created = await createTestDatabase('subgraph_store_gone');
    const store = await openServer({
      url: created.url,
      variable: 'STORE_DATABASE_URL',
      poolSize: 1,
      connectTimeoutMs: 30_000,
      statementTimeoutMs: 10_000,
    });
    await store.close();
    await created.drop();
    const server = await startSubgraph(subgraphOf('population').definition, {
      database: subgraph.databases.get('population'),
      store,
      port: 0,
      settings: { disclosureMinimum: 10, disclosureSecret: developmentDisclosureSecret },
      signingSecret: testSigningSecret,
    });
    try {
      const probe = async (path: string) => {
        const response = await fetch(server.url.replace('/graphql', path));
        return [response.status, ((await response.json()) as { status: string }).status];
      };
      expect(await probe('/livez')).toEqual([200, 'ok']);
      expect(await probe('/readyz')).toEqual([503, 'store unavailable']);
      expect(await probe('/healthz')).toEqual([503, 'store unavailable']);
    } finally {
      await server.stop();
    }
  });
});
