import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServer } from '../../../platform/database/postgres.js';
import type { Database } from '../../../platform/database/database.js';
import { createTestDatabase } from '../../support/postgres.js';
import { TcpProxy, throughProxy } from '../../support/tcp-proxy.js';

describe('PostgreSQL server driver', () => {
  let created: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  beforeAll(async () => {
    created = await createTestDatabase('driver');
    database = await openServer({ url: created.url, variable: 'HEALTH_DATABASE_URL', poolSize: 2 });
  });
  afterAll(async () => {
    await database?.close();
    await created?.drop();
  });

  it('returns the same value types as the embedded driver: date strings, numeric counts', async () => {
    const [row] = await database.query(`SELECT DATE '2025-12-31' AS day, count(*) AS n, 1.5::numeric AS area FROM generate_series(1, 3)`);
    expect(row).toEqual({ day: '2025-12-31', n: 3, area: 1.5 });
  });

  it('loads CSV with COPY inside a transaction and rolls it back on failure', async () => {
    await database.query('CREATE TABLE t (id int PRIMARY KEY, name text)');
    await expect(
      database.transaction(async (session) => {
        await session.copyCsv('t', ['id', 'name'], '1,"Trần Thị B"\n');
        await session.copyCsv('t', ['id', 'name'], '1,duplicate\n');
      }),
    ).rejects.toThrow(/duplicate key/);
    expect(await database.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
  });

  it('counts the statements it sends', async () => {
    const seen: string[] = [];
    const stop = database.onStatement((text) => seen.push(text));
    await database.query('SELECT 1');
    await database.transaction((session) => session.query('SELECT 2'));
    stop();
    await database.query('SELECT 3');
    expect(seen).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it.each([
    ['a port where nothing listens', 'postgres://postgres@127.0.0.1:1/x', /HEALTH_DATABASE_URL: cannot use .*connection refused/],
    ['a database that does not exist', 'postgres://postgres@127.0.0.1:5432/no_such_database_here', /HEALTH_DATABASE_URL: .*does not exist/],
  ])('refuses %s at once, naming the variable', async (_case, url, message) => {
    await expect(openServer({ url, variable: 'HEALTH_DATABASE_URL', poolSize: 1 })).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringMatching(message),
    });
  });

  describe('with a statement timeout', () => {
    let bounded: Database;
    beforeAll(async () => {
      bounded = await openServer({ url: created.url, variable: 'HEALTH_DATABASE_URL', poolSize: 1, statementTimeoutMs: 300 });
    });
    afterAll(() => bounded?.close());

    it('has the server cancel a statement that runs too long, answer DATABASE_UNAVAILABLE, and leave nothing running', async () => {
      const marker = `statement-timeout-${process.pid}`;
      await expect(bounded.query(`SELECT pg_sleep(30), '${marker}'`)).rejects.toMatchObject({
        code: 'DATABASE_UNAVAILABLE',
        httpStatus: 503,
        message: expect.stringContaining('statement timeout'),
      });
      // Cancelled on the server, not merely abandoned by the client.
      const running = await database.query<{ n: number }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1`,
        [`%'${marker}'%`],
      );
      expect(running).toEqual([{ n: 0 }]);
      // The one pooled connection serves the next statement.
      expect(await bounded.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    });

    it('lifts it inside transactions, which are maintenance work that may run long', async () => {
      await expect(bounded.transaction((session) => session.query(`SELECT pg_sleep(0.6) AS slept`))).resolves.toEqual([{ slept: '' }]);
      // And it holds again outside.
      await expect(bounded.query('SELECT pg_sleep(0.6)')).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    });
  });

  describe('a database that goes away after start-up', () => {
    let proxy: TcpProxy;
    let proxied: Database;
    beforeAll(async () => {
      const target = new URL(created.url);
      proxy = new TcpProxy({ host: target.hostname, port: Number(target.port) });
      await proxy.start();
      // Short deadlines: each case waits one of them out.
      proxied = await openServer({
        url: throughProxy(created.url, proxy),
        variable: 'HEALTH_DATABASE_URL',
        poolSize: 1,
        queryTimeoutMs: 1_000,
        connectTimeoutMs: 1_000,
      });
    });
    afterAll(async () => {
      await proxied?.close();
      await proxy?.stop();
    });

    it('answers DATABASE_UNAVAILABLE, not an internal error, when it hangs, is cut, or refuses new connections', async () => {
      const unavailable = { code: 'DATABASE_UNAVAILABLE', httpStatus: 503 };
      expect(await proxied.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
      // Hung mid-connection: the query deadline.
      proxy.blackHole();
      await expect(proxied.query('SELECT 1')).rejects.toMatchObject(unavailable);
      await expect(proxied.transaction((session) => session.query('SELECT 1'))).rejects.toMatchObject(unavailable);
      // Gone: connections cut and refused.
      await proxy.stop();
      await expect(proxied.query('SELECT 1')).rejects.toMatchObject(unavailable);
      await expect(proxied.transaction((session) => session.query('SELECT 1'))).rejects.toMatchObject(unavailable);
      // Back on the same port: the pool opens new connections and answers again.
      await proxy.start();
      proxy.forward();
      expect(await proxied.query('SELECT 2 AS two')).toEqual([{ two: 2 }]);
    });

    it('keeps a bad statement what it is: not a database outage', async () => {
      await expect(proxied.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
    });
  });
});
