import type { TestProject } from 'vitest/node';
import { openAgencyDatabases } from '../../platform/database/open-databases.js';
import { seed } from '../../scripts/seed/load.js';
import { contractRelations, prepare, testConfig } from './databases.js';
import { assertServerReachable, createReaderRole, createTestDatabase } from './postgres.js';
import { sharedDataset } from './shared-dataset.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One database on the real server holding the sources and the store, seeded once for every test that only reads. */
    sharedDatabaseUrl: string;
    /** The same database as a role that may only read the source contract: what subgraphs connect as. */
    sharedReaderUrl: string;
  }
}

/**
 * Fails the run at once, with a clear message, when the PostgreSQL server is not
 * there; then seeds one small dataset that read-only tests share, makes the
 * SELECT-only role subgraphs connect as, and drops both at the end.
 */
export default async function globalSetup(project: TestProject): Promise<() => Promise<void>> {
  await assertServerReachable();
  const created = await createTestDatabase('shared');
  let dropReader = async () => undefined as unknown;
  const dropAll = async () => {
    await created.drop();
    await dropReader();
  };
  try {
    const databases = await openAgencyDatabases(testConfig(created.url, created.url), { sourceAccess: 'generator' });
    try {
      await prepare(databases);
      await seed(databases, sharedDataset);
    } finally {
      await databases.close();
    }
    const reader = await createReaderRole(created.url, 'gateway_source', contractRelations);
    dropReader = reader.drop;
    project.provide('sharedReaderUrl', reader.url);
  } catch (error) {
    // A failed seed must not leave a database behind on a server other runs share.
    await dropAll();
    throw error;
  }
  project.provide('sharedDatabaseUrl', created.url);
  return dropAll;
}
