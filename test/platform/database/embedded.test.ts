import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openEmbedded } from '../../../platform/database/embedded.js';

describe('embedded database', () => {
  const dataDirs: string[] = [];
  const newDataDir = async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pglite-'));
    dataDirs.push(dataDir);
    return dataDir;
  };
  afterAll(() => Promise.all(dataDirs.map((dataDir) => rm(dataDir, { recursive: true, force: true }))));

  it('holds its folder: a second opener is refused, naming the owner, until the first closes', async () => {
    const dataDir = await newDataDir();
    const first = await openEmbedded({ dataDir });
    try {
      await first.database.query('CREATE TABLE kept (id int)');
      expect(await readFile(path.join(dataDir, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
      await expect(openEmbedded({ dataDir })).rejects.toMatchObject({
        code: 'DATA_DIRECTORY_LOCKED',
        message: expect.stringContaining(`in use by process ${process.pid}`),
      });
    } finally {
      await first.database.close();
    }
    const second = await openEmbedded({ dataDir });
    try {
      expect(await second.database.query('SELECT count(*) AS rows FROM kept')).toEqual([{ rows: 0 }]);
    } finally {
      await second.database.close();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dataDir = await newDataDir();
    // Above the kernel's largest pid: no process can hold it, however busy the machine (a real exited pid may be reused).
    const pidMax = Number((await readFile('/proc/sys/kernel/pid_max', 'utf8')).trim());
    await writeFile(path.join(dataDir, 'pglite.lock'), String(pidMax + 1));
    const embedded = await openEmbedded({ dataDir });
    try {
      expect(await readFile(path.join(dataDir, 'pglite.lock'), 'utf8')).toBe(String(process.pid));
      expect(await embedded.database.query('SELECT 41 + 1 AS answer')).toEqual([{ answer: 42 }]);
    } finally {
      await embedded.database.close();
    }
  });

  it('rolls back a transaction that throws, with COPY inside it', async () => {
    const { database } = await openEmbedded({ dataDir: 'memory://' });
    try {
      await database.query('CREATE TABLE t (id int, name text)');
      await expect(
        database.transaction(async (session) => {
          await session.copyCsv('t', ['id', 'name'], '1,"Nguyễn Văn A"\n2,b\n');
          expect(await session.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 2 }]);
          throw new Error('stop');
        }),
      ).rejects.toThrow('stop');
      expect(await database.query('SELECT count(*) AS n FROM t')).toEqual([{ n: 0 }]);
      await database.transaction((session) => session.copyCsv('t', ['id', 'name'], '3,"a, ""quoted"" name"\n'));
      expect(await database.query('SELECT name FROM t')).toEqual([{ name: 'a, "quoted" name' }]);
    } finally {
      await database.close();
    }
  });
});
