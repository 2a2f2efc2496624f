import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSecurityConfig, readAuditDatabaseUrl } from '../../gateway/auth/config.js';
import { readCacheConfig, readGatewayConfig } from '../../gateway/config.js';
import { readDatabaseConfig, readSubgraphSettings, subgraphNames, subgraphPortVariable } from '../../platform/config.js';
import { projectRoot } from '../support/user-shell.js';

const variableName = /^[A-Z][A-Z0-9_]*$/;

/**
 * The variables the configuration readers look at, found by running them on an
 * environment that records every name read: the zod schemas (every key of an
 * object schema is read, set or not) and the reads around them.
 */
function variablesReadAtRuntime(): Set<string> {
  const read = new Set<string>();
  const recording = new Proxy({} as NodeJS.ProcessEnv, {
    get(target, name) {
      if (typeof name === 'string' && variableName.test(name)) read.add(name);
      return Reflect.get(target, name);
    },
  });
  readGatewayConfig(recording);
  readSecurityConfig(recording, false);
  readCacheConfig(recording);
  readAuditDatabaseUrl(recording);
  readDatabaseConfig(recording);
  readSubgraphSettings(recording);
  return read;
}

/** Source files that run as the system, its commands or its test harness (scratch files, starting with a dot, aside). */
function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(projectRoot, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|mjs)$/.test(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !file.includes(`${path.sep}generated${path.sep}`));
}

/**
 * The variables the code reads that no reader above runs: `process.env.X` (or
 * `env.X`, `env['X']`) anywhere, and the keys of the zod schemas the commands
 * parse for themselves (npm start's, npm run subgraph's), with the per-subgraph
 * port variables they build from the subgraph names.
 */
function variablesReadInSource(): Map<string, string> {
  const found = new Map<string, string>();
  const add = (name: string, file: string) => found.has(name) || found.set(name, path.relative(projectRoot, file));
  for (const file of ['gateway', 'platform', 'subgraphs', 'scripts', 'test/support'].flatMap(sourceFiles)) {
    const text = readFileSync(file, 'utf8');
    const harness = file.startsWith(path.join(projectRoot, 'test'));
    for (const match of text.matchAll(
      /\b(?:process\.env|env)(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])(?![A-Z0-9_]|\s*=[^=])/g,
    )) {
      const name = (match[1] ?? match[2])!;
      // The test harness also reads the shell's own variables (PATH) to run commands as a user would: only its TEST_ ones are settings.
      if (!harness || name.startsWith('TEST_')) add(name, file);
    }
    if (!/from 'zod'/.test(text) || !/parseEnvironment\(/.test(text)) continue;
    for (const match of text.matchAll(/^\s+([A-Z][A-Z0-9_]*): /gm)) add(match[1]!, file);
    if (/\[\s*(subgraphPortVariable\(|portVariable\b)/.test(text)) for (const name of subgraphNames) add(subgraphPortVariable(name), file);
  }
  return found;
}

/** The variables named in the first column of the README's configuration table. */
function variablesInReadme(): Set<string> {
  const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Configuration\n')).split(/\n## /)[1]!;
  const names = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((match) => match[1]!));
  expect(
    names.filter((name) => !variableName.test(name)),
    'the first column holds variable names only',
  ).toEqual([]);
  return new Set(names);
}

describe("the README's configuration table and the code", () => {
  const atRuntime = variablesReadAtRuntime();
  const inSource = variablesReadInSource();
  const read = new Set([...atRuntime, ...inSource.keys()]);
  const documented = variablesInReadme();

  it('finds what it compares (neither side is empty or half read)', () => {
    for (const name of ['PORT', 'REDIS_URL', 'RATE_LIMIT_PER_MINUTE', 'SUBGRAPH_HEALTH_URL', 'DATABASE_POOL_SIZE', 'DISCLOSURE_MIN_COUNT'])
      expect(atRuntime).toContain(name);
    for (const name of ['DEMO_CITIZENS', 'SUBGRAPH_INDICATORS_PORT', 'GATEWAY_SIGNING_SECRET', 'TEST_POSTGRES_URL'])
      expect(read).toContain(name);
    expect(documented.size).toBeGreaterThan(40);
  });

  it('documents every variable the code reads', () => {
    expect(
      [...read].filter((name) => !documented.has(name)).map((name) => `${name} (${inSource.get(name) ?? 'a configuration reader'})`),
    ).toEqual([]);
  });

  it('documents no variable the code does not read', () => {
    expect([...documented].filter((name) => !read.has(name))).toEqual([]);
  });
});
