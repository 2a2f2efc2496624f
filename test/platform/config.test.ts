import { describe, expect, it } from 'vitest';
import { readDatabaseConfig } from '../../platform/config.js';
import { redactPassword } from '../../platform/environment.js';
import { AppError } from '../../platform/errors.js';

describe('readDatabaseConfig', () => {
  it('uses the embedded database for every agency when no URL is set', () => {
    const config = readDatabaseConfig({});
    expect(config.urls).toEqual({});
    expect(config.dataDir).toBe('.data');
    expect(config.poolSize).toBe(10);
    expect(config.connectTimeoutMs).toBe(5_000);
    expect(config.statementTimeoutMs).toBe(10_000);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes a connect timeout for loaded servers', () => {
    expect(readDatabaseConfig({ DATABASE_CONNECT_TIMEOUT_MS: '30000' }).connectTimeoutMs).toBe(30_000);
  });

  it('takes a statement timeout', () => {
    expect(readDatabaseConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '2500' }).statementTimeoutMs).toBe(2_500);
  });

  it('takes a server URL per agency and treats an empty variable as unset', () => {
    const config = readDatabaseConfig({ HEALTH_DATABASE_URL: 'postgresql://u@db:5433/health', POPULATION_DATABASE_URL: '' });
    expect(config.urls).toEqual({ health: 'postgresql://u@db:5433/health' });
  });

  it.each([
    ['POPULATION_DATABASE_URL', 'not a url'],
    ['CIVIL_SERVICE_DATABASE_URL', 'mysql://root@localhost/db'],
    ['AGRICULTURE_DATABASE_URL', 'postgres://'],
    ['DATABASE_POOL_SIZE', '0'],
    ['DATABASE_POOL_SIZE', 'many'],
    ['DATABASE_CONNECT_TIMEOUT_MS', '0'],
    ['DATABASE_CONNECT_TIMEOUT_MS', 'soon'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '0'],
    ['DATABASE_STATEMENT_TIMEOUT_MS', '10s'],
  ])('stops on a bad %s, naming it', (variable, value) => {
    let error: unknown;
    try {
      readDatabaseConfig({ [variable]: value });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('CONFIG_INVALID');
    expect((error as AppError).message).toContain(variable);
  });

  it('never repeats a password in its message', () => {
    expect(() => readDatabaseConfig({ HEALTH_DATABASE_URL: 'http://admin:s3cret@db/health' })).toThrow(/admin:\*\*\*@db/);
    expect(redactPassword('postgres://admin:s3cret@db:5432/x')).toBe('postgres://admin:***@db:5432/x');
  });
});
