import type { TestProject } from 'vitest/node';
import { agencies, databaseUrlVariables, readDatabaseConfig, type Agency } from '../../platform/config.js';
import { openAgencyDatabases } from '../../platform/database/open-databases.js';
import { seed } from '../../scripts/seed/load.js';
import { assertServerReachable, createTestDatabase } from './postgres.js';
import { sharedDataset } from './shared-dataset.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Four databases on the real server, seeded once for every test that only reads. */
    sharedDatabaseUrls: Record<Agency, string>;
  }
}

/**
 * Fails the run at once, with a clear message, when the PostgreSQL server is not
 * there; then seeds one small dataset that read-only tests share, and drops it
 * at the end.
 */
export default async function globalSetup(project: TestProject): Promise<() => Promise<void>> {
  await assertServerReachable();
  const created = await Promise.all(agencies.map((agency) => createTestDatabase(`shared_${agency}`)));
  const urls = Object.fromEntries(agencies.map((agency, index) => [agency, created[index]!.url])) as Record<Agency, string>;
  const dropAll = async () => {
    await Promise.all(created.map((database) => database.drop()));
  };
  try {
    const databases = await openAgencyDatabases(
      readDatabaseConfig(Object.fromEntries(agencies.map((agency) => [databaseUrlVariables[agency], urls[agency]]))),
    );
    try {
      await seed(databases, sharedDataset);
    } finally {
      await databases.close();
    }
  } catch (error) {
    // A failed seed must not leave four databases behind on a server other runs share.
    await dropAll();
    throw error;
  }
  project.provide('sharedDatabaseUrls', urls);
  return dropAll;
}
