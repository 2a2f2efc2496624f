import { describe, expect, it } from 'vitest';
import { runningServices } from '../../scripts/topology/processes.js';
import { Topology } from '../../scripts/topology/topology.js';
import { adminUrl } from '../support/postgres.js';

describe('a topology that cannot start', () => {
  it('names the missing program, before making anything', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await expect(Topology.start({ gateways: 2, citizens: 100, postgresUrl: adminUrl, port: 0 })).rejects.toThrow(
        /redis-server was not found on PATH/,
      );
    } finally {
      process.env.PATH = path;
    }
    expect(runningServices()).toEqual([]);
  });

  it('says which PostgreSQL server it could not reach, and stops the Redis Cluster it had started', async () => {
    await expect(
      Topology.start({ gateways: 2, citizens: 100, postgresUrl: 'postgres://postgres@127.0.0.1:1/postgres', port: 0 }),
    ).rejects.toThrow(/needs a PostgreSQL server for its databases at postgres:\/\/postgres@127\.0\.0\.1:1\/postgres/);
    expect(runningServices()).toEqual([]);
  });
});
