import pg from 'pg';
import { randomBytes } from 'node:crypto';

/** The PostgreSQL server the tests use for real (trust auth on loopback, as on CI). */
export const adminUrl = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function assertServerReachable(): Promise<void> {
  try {
    await admin((client) => client.query('SELECT 1'));
  } catch (error) {
    throw new Error(
      `The tests need the PostgreSQL server at ${adminUrl} (set TEST_POSTGRES_URL to use another): ${(error as Error).message}`,
    );
  }
}

/** A new, empty database with a unique name; `drop` removes it. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `test_${label.replace(/[^a-z0-9]/g, '_')}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * A login role that may only read the source contract of one database: USAGE
 * on the source schema and SELECT on the contract relations, nothing else (no
 * CREATE anywhere, no other schema). Subgraphs connect as it in the tests, to
 * prove they never write to, nor need more of, an agency's database.
 * `url` is the database's URL as that role; `drop` removes the role (after the
 * database is dropped, or its grants go with it here).
 */
export async function createReaderRole(
  databaseUrl: string,
  sourceSchema: string,
  relations: readonly string[],
): Promise<{ url: string; role: string; drop: () => Promise<void> }> {
  const role = `reader_${process.pid}_${randomBytes(4).toString('hex')}`;
  const database = new URL(databaseUrl).pathname.slice(1);
  await admin((client) => client.query(`CREATE ROLE ${role} LOGIN NOINHERIT`));
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    await client.query(`REVOKE ALL ON SCHEMA public FROM PUBLIC`);
    await client.query(`GRANT CONNECT ON DATABASE ${database} TO ${role}`);
    await client.query(`GRANT USAGE ON SCHEMA ${sourceSchema} TO ${role}`);
    for (const relation of relations) await client.query(`GRANT SELECT ON ${sourceSchema}.${relation} TO ${role}`);
  } finally {
    await client.end();
  }
  const url = new URL(databaseUrl);
  url.username = role;
  return {
    url: url.toString(),
    role,
    drop: () =>
      admin(async (admin) => {
        await admin.query(`DROP ROLE IF EXISTS ${role}`).catch(async () => {
          // Grants in a database still there: that database drops them with DROP OWNED (run there) first.
          const there = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
          await there.connect();
          try {
            await there.query(`DROP OWNED BY ${role}`);
          } finally {
            await there.end();
          }
          await admin.query(`DROP ROLE IF EXISTS ${role}`);
        });
      }).then(() => undefined),
  };
}
