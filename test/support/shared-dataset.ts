import { inject } from 'vitest';
import { openAgencyDatabases, type AgencyDatabases } from '../../platform/database/open-databases.js';
import { testConfig } from './databases.js';

/** The dataset seeded once per test run (see global-setup.ts). Tests must not change it. */
export const sharedDataset = { citizens: 3_000, seed: 5, asOf: '2025-12-31' } as const;

/** The shared dataset as tests read it: sources (read-only) and the store, under the names earlier tests use too. */
export function openSharedDatabases(): Promise<AgencyDatabases> {
  const url = inject('sharedDatabaseUrl');
  return openAgencyDatabases(testConfig(url, url));
}

/** The shared dataset as subgraphs read it: each source as the role that may only SELECT the contract, read-only. */
export function openSharedDatabasesForSubgraphs(): Promise<AgencyDatabases> {
  return openAgencyDatabases(testConfig(inject('sharedReaderUrl'), inject('sharedDatabaseUrl')));
}
