import { assertServerReachable } from './postgres.js';

/** Fails the run at once, with a clear message, when the PostgreSQL server is not there. */
export default async function globalSetup(): Promise<void> {
  await assertServerReachable();
}
