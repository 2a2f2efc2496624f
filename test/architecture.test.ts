import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './support/user-shell.js';

/**
 * The three homes and what each may use: platform/ is shared by everything and
 * uses none of them; the gateway and the subgraphs use the platform, never
 * each other (the gateway knows the subgraphs only through the supergraph
 * file); scripts/ and bench/ may use all three.
 */
const mayNotImport: Record<string, readonly string[]> = {
  platform: ['gateway', 'subgraphs', 'scripts', 'bench', 'test'],
  gateway: ['subgraphs', 'scripts', 'bench', 'test'],
  subgraphs: ['gateway', 'scripts', 'bench', 'test'],
};

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(projectRoot, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.relative(projectRoot, path.join(entry.parentPath, entry.name)));
}

/** Every relative module a file imports, re-exports or loads, as a path from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(projectRoot, file), 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)].map((match) =>
    path.normalize(path.join(path.dirname(file), match[1]!)),
  );
}

describe('the architecture', () => {
  it.each(Object.keys(mayNotImport))('keeps %s/ from importing what sits above or beside it', (home) => {
    const violations = sourceFiles(home).flatMap((file) =>
      importsOf(file)
        .filter((target) => mayNotImport[home]!.includes(target.split(path.sep)[0]!))
        .map((target) => `${file} imports ${target}`),
    );
    expect(violations).toEqual([]);
  });

  it('finds the imports it checks (the rule is not vacuous)', () => {
    expect(importsOf('gateway/server.ts')).toContain(path.normalize('platform/listen.js'));
  });
});
