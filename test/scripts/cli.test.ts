import { describe, expect, it } from 'vitest';
import { runScript as command } from '../support/command.js';

describe('command-line tools refuse bad input with one clear line', () => {
  it.each([
    [['--citizens', 'many'], /^error: --citizens must be a positive integer/m],
    [['--citizens', '0'], /^error: --citizens must be a positive integer/m],
    [[], /^error: --citizens is required/m],
    [['--citizens', '10', '--colour', 'red'], /^error: Unknown option '--colour'/m],
  ])('seed %j', async (args, message) => {
    const result = await command('scripts/seed.ts', args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it.each([
    [['--agency', 'health'], /^error: --agency must be one of civil-service, agriculture, got "health"/m],
    [[], /^error: --agency must be one of/m],
    [['--agency', 'agriculture', '--gateway', 'not a url'], /^error: --gateway must be a URL/m],
    [['--agency', 'agriculture'], /^error: Set GATEWAY_API_KEY \(or GATEWAY_TOKEN\)/m, {}],
  ])('reconcile %j', async (args, message, env: Record<string, string> = { GATEWAY_TOKEN: 'x' }) => {
    const result = await command('scripts/reconcile.ts', args, { GATEWAY_API_KEY: '', GATEWAY_TOKEN: '', ...env });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [[], /^error: Say create, list or revoke/m],
    [['create', '--name', 'x'], /^error: create needs --name, --agency and --scopes/m],
    [
      ['create', '--name', 'x', '--agency', 'health', '--scopes', 'health:pii', '--expires', 'soon'],
      /^error: --expires must be a future date/m,
    ],
    [['revoke'], /^error: revoke needs --id/m],
    [['drop'], /^error: Say create, list or revoke/m],
    [['list', '--colour', 'red'], /^error: Unknown option '--colour'/m],
  ])('api-key %j', async (args, message) => {
    const result = await command('scripts/api-key.ts', args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [['--seconds', 'ten'], /^error: --seconds must be a whole number from 1 to 600/m],
    [['--workloads', 'dashboard,everything'], /^error: --workloads takes dashboard, communes, communeList, lookup/m],
    [['--citizens', '5'], /^error: --citizens must be a whole number from 1000/m],
    [['--colour', 'red'], /^error: Unknown option '--colour'/m],
  ])('bench %j', async (args, message) => {
    const result = await command('bench/run.ts', args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [[], /^error: --before is missing/m],
    [['--before', 'no-such-run.json', '--after', 'no-such-run.json'], /^error: --before no-such-run\.json: ENOENT/m],
    [['--before', 'package.json', '--after', 'package.json'], /^error: --before package\.json is not a result of npm run bench/m],
  ])('bench:compare %j', async (args, message) => {
    const result = await command('bench/compare.ts', args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [[], /^error: Say what changed/m],
    [['--subgraph', 'police'], /^error: --subgraph police is not a subgraph/m],
    [['--type', 'Salary'], /^error: --type Salary is not a type of the supergraph/m],
  ])('cache:invalidate %j', async (args, message) => {
    const result = await command('scripts/cache-invalidate.ts', args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [['--files', ''], /^error: --files needs one or more globs/m],
    [['--colour', 'red'], /^error: Unknown option '--colour'/m],
  ])('test:mutation %j', async (args, message) => {
    const result = await command('scripts/test-mutation.ts', args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [['--runs', 'many'], /^error: --runs must be a whole number from 1 to 1000, got "many"/m],
    [['--runs', '0'], /^error: --runs must be a whole number from 1 to 1000/m],
    [['--load', 'npm run bench', '--no-load'], /^error: --load and --no-load exclude each other/m],
    [['--load', ' '], /^error: --load needs a command/m],
  ])('test:flake-hunt %j', async (args, message) => {
    const result = await command('scripts/flake-hunt.ts', args);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });

  it.each([
    [{ POPULATION_DATABASE_URL: 'localhost:5432/population' }, /^error: Invalid configuration: POPULATION_DATABASE_URL must be a URL/m],
    [{ HEALTH_DATABASE_URL: 'postgres://postgres@127.0.0.1:1/health' }, /^error: HEALTH_DATABASE_URL: cannot use .*connection refused/m],
  ])('migrate with %o', async (env, message) => {
    const result = await command('scripts/migrate.ts', [], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});
