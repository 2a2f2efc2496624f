import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExampleData } from '../../../scripts/start/example-data.js';
import type { AgencyDatabases } from '../../../platform/database/open-databases.js';
import { openSharedDatabases } from '../../support/shared-dataset.js';

describe("the explorer's example data", () => {
  let databases: AgencyDatabases;
  beforeAll(async () => {
    databases = await openSharedDatabases();
  });
  afterAll(() => databases?.close());

  it('holds a real PIN in development, where the data are generated', async () => {
    const examples = await findExampleData(databases, { withPin: true });
    expect(examples.pin).toMatch(/^\d{12}$/);
    expect(examples.communeCode).toMatch(/^\d{5}$/);
  });

  it('holds no PIN in production, where the explorer would hand a real person’s PIN to anyone', async () => {
    const statements: string[] = [];
    const stops = databases.agencies.map((agency) => databases.get(agency).onStatement((text) => statements.push(text)));
    const examples = await findExampleData(databases, { withPin: false });
    stops.forEach((stop) => stop());
    expect(Object.keys(examples)).toEqual(['communeCode']);
    // Not even read: no personal table is asked.
    expect(statements.filter((text) => /civil_servant|health_record|population\.citizen/.test(text))).toEqual([]);
  });
});
