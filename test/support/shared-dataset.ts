import { inject } from 'vitest';
import { agencies, databaseUrlVariables, readDatabaseConfig } from '../../platform/config.js';
import { openAgencyDatabases, type AgencyDatabases } from '../../platform/database/open-databases.js';
import { patientConnectTimeoutMs } from './databases.js';

/** The dataset seeded once per test run (see global-setup.ts). Tests must not change it. */
export const sharedDataset = { citizens: 3_000, seed: 5, asOf: '2025-12-31' } as const;

export function openSharedDatabases(): Promise<AgencyDatabases> {
  const urls = inject('sharedDatabaseUrls');
  return openAgencyDatabases(
    readDatabaseConfig({
      ...Object.fromEntries(agencies.map((agency) => [databaseUrlVariables[agency], urls[agency]])),
      DATABASE_CONNECT_TIMEOUT_MS: patientConnectTimeoutMs,
    }),
  );
}
