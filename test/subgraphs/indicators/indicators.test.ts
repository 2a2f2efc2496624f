import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { developmentDisclosureSecret } from '../../../platform/config.js';
import { startSubgraph } from '../../../subgraphs/runtime/server.js';
import type { RunningServer } from '../../../platform/listen.js';
import { subgraphOf } from '../../../subgraphs/index.js';
import { entitiesQuery, signedPost as post, testSigningSecret } from '../../support/subgraph.js';

describe('indicators subgraph alone (no database)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSubgraph(subgraphOf('indicators').definition, {
      port: 0,
      settings: { disclosureMinimum: 10, disclosureSecret: developmentDisclosureSecret },
      signingSecret: testSigningSecret,
    });
  });
  afterAll(() => server?.stop());

  it('lists all 18 tasks in order, with the indicators that measure each (possibly none)', async () => {
    const answer = await post<{ tasks: Array<{ number: number; nameVi: string; measured: boolean; indicators: Array<{ id: string }> }> }>(
      server.url,
      `{ tasks { number nameVi leadMinistry measured indicators { id } } }`,
    );
    expect(answer.errors).toBeUndefined();
    const tasks = answer.data!.tasks;
    expect(tasks.map((task) => task.number)).toEqual(Array.from({ length: 18 }, (_, index) => index + 1));
    expect(tasks.filter((task) => task.measured).map((task) => task.number)).toEqual([2, 4, 10, 16, 17, 18]);
    expect(tasks[3]!.indicators.map((indicator) => indicator.id)).toEqual(['ehrCoverage', 'ehrActiveUse', 'ehrUsedInCare']);
    expect(tasks[1]!.nameVi).toBe('Phổ cập danh tính điện tử toàn dân'.normalize('NFC'));
  });

  it('resolves IndicatorDefinition references for the other subgraphs, null for an unknown id', async () => {
    const answer = await post<{
      _entities: Array<{ id: string; unit: string; targets: Array<{ fromYear: number; value: number }> } | null>;
    }>(server.url, entitiesQuery('... on IndicatorDefinition { id unit targets { fromYear value } task { number } }'), {
      representations: [
        { __typename: 'IndicatorDefinition', id: 'eIdAdoption' },
        { __typename: 'IndicatorDefinition', id: 'nope' },
      ],
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toEqual([
      {
        id: 'eIdAdoption',
        unit: 'PERCENT',
        targets: [
          { fromYear: 2022, value: 15 },
          { fromYear: 2023, value: 30 },
        ],
        task: { number: 2 },
      },
      null,
    ]);
  });

  it('describes an indicator by its counts: what each counts and which agencies keep them, the computing one first', async () => {
    const answer = await post<{ indicator: { numerator: string; denominator: string; sources: string[] } }>(
      server.url,
      `{ indicator(id: "ehrUsedInCare") { numerator denominator sources } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.indicator).toEqual({
      numerator:
        'e-health records with an encounter in the 12 months up to the end of the period, by the holder’s commune as the health system recorded it',
      denominator: 'residents',
      sources: ['health', 'population'],
    });
  });

  it('answers /healthz without a database', async () => {
    expect((await fetch(server.url.replace('/graphql', '/healthz'))).status).toBe(200);
  });
});
