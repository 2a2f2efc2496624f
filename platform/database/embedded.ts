import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError, ErrorCode } from '../errors.js';
import { copyThroughBlob, PoolDatabase, typeParsers, type Database } from './database.js';

export interface EmbeddedOptions {
  /** A folder (created if missing) or `memory://` for a database that lives only in this process. */
  readonly dataDir: string;
  /** A tarball from `dumpDataDir()` to start from (tests load a prepared database this way). */
  readonly loadDataDir?: Blob;
}

/**
 * One embedded PostgreSQL (PGlite) for every agency that has no server URL: each
 * agency keeps to its own schema. One instance holds ~300 MiB, four would hold
 * ~1.5 GiB. PGlite is a single session, so its pool has one connection and
 * transactions from different agencies queue rather than interleave.
 */
export async function openEmbedded(options: EmbeddedOptions): Promise<{ database: Database; pglite: PGlite }> {
  const inMemory = options.dataDir.startsWith('memory://');
  const releaseLock = inMemory ? async () => undefined : await lockDataDir(options.dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(inMemory ? options.dataDir : path.resolve(options.dataDir), {
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    });
  } catch (error) {
    await releaseLock();
    throw new AppError(ErrorCode.DATABASE_UNAVAILABLE, `Cannot open the embedded database in ${options.dataDir}: ${String(error)}`, {
      cause: error,
    });
  }
  const pool = new pg.Pool({ ...(createPgConfig(pglite) as unknown as pg.PoolConfig), max: 1, types: typeParsers });
  const database = new PoolDatabase({
    driver: 'pglite',
    pool,
    copyCsv: copyThroughBlob(pglite),
    onClose: async () => {
      await pool.end();
      await pglite.close();
      await releaseLock();
    },
  });
  return { database, pglite };
}

/**
 * Two processes that open one PGlite folder both succeed and silently lose each
 * other's writes, so the folder is held with a lock file naming the owner's pid.
 * A lock whose process is gone is stale and taken over.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'pglite.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(lockFile, String(process.pid), { flag: 'wx' });
      return () => unlink(lockFile).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(lockFile, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new AppError(
          ErrorCode.DATA_DIRECTORY_LOCKED,
          `DATA_DIR ${dataDir} is in use by process ${owner} (lock file ${lockFile}): stop that process or set another DATA_DIR`,
        );
      }
      await unlink(lockFile).catch(() => undefined);
    }
  }
  throw new AppError(ErrorCode.DATA_DIRECTORY_LOCKED, `Cannot take the lock file ${lockFile}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
