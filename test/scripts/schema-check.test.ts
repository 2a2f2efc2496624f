import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScript } from '../support/command.js';

const released = `
"Entry points."
type Query {
  "An area's name."
  name(code: ID!): String
  "Its population."
  population(code: ID!): Int
}
`;

describe('npm run schema:check (on schema files of its own, never the real ones)', () => {
  let folder: string;
  const file = (name: string) => path.join(folder, name);
  const check = async (current: string, ...args: string[]) => {
    await writeFile(file('current.graphql'), current);
    return runScript('scripts/schema-check.ts', ['--current', file('current.graphql'), '--released', file('released.graphql'), ...args]);
  };

  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'schema-check-'));
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('fails on a removed field, naming it and the way to release it on purpose', async () => {
    await writeFile(file('released.graphql'), released);
    const result = await check(released.replace(/ {2}"Its population."\n {2}population\(code: ID!\): Int\n/, ''));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/1 breaking/);
    expect(result.stdout).toMatch(/breaking\s+Field 'population' was removed from object type 'Query'/);
    expect(result.stderr).toMatch(/@deprecated/);
    expect(result.stderr).toMatch(/npm run schema:check -- --accept/);
  });

  it('passes on an added field, listing it as non-breaking', async () => {
    await writeFile(file('released.graphql'), released);
    const result = await check(released.replace('type Query {', 'type Query {\n  "Its households."\n  households(code: ID!): Int'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/non-breaking\s+Field 'households' was added to object type 'Query'/);
    expect(result.stdout).toMatch(/0 breaking/);
  });

  it('passes when nothing changed', async () => {
    await writeFile(file('released.graphql'), released);
    const result = await check(released);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/No change to the API since the last release/);
  });

  it('with --accept, makes the current schema the released one even when it breaks (the release step)', async () => {
    await writeFile(file('released.graphql'), released);
    const current = released.replace(/ {2}"An area's name."\n {2}name\(code: ID!\): String\n/, '');
    const result = await check(current, '--accept');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/breaking\s+Field 'name' was removed/);
    expect(await readFile(file('released.graphql'), 'utf8')).toBe(current);
    expect((await check(current)).code).toBe(0);
  });

  it('refuses to compare without a released schema, and says how to make the baseline', async () => {
    await rm(file('released.graphql'), { force: true });
    const result = await check(released);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: There is no released schema at .*--accept makes the current one the baseline/m);
  });
});
