import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  agencies,
  agencyRegistry,
  databaseUrlVariable,
  defaultPortOf,
  isAgency,
  personalDataScope,
  subgraphNames,
  subgraphPortVariable,
} from '../../platform/agencies.js';
import { subgraphOf, subgraphs } from '../../subgraphs/index.js';
import { projectRoot } from '../support/user-shell.js';

const read = (file: string) => readFileSync(path.join(projectRoot, file), 'utf8');

/** Every scope an SDL file names in @requiresScopes. */
function scopesNamedIn(sdl: string): Set<string> {
  const scopes = new Set<string>();
  visit(parse(sdl), {
    Directive(directive) {
      if (directive.name.value !== 'requiresScopes') return;
      visit(directive, {
        StringValue(value) {
          scopes.add(value.value);
        },
      });
    },
  });
  return scopes;
}

// What the compiler cannot check: files that name agencies outside TypeScript agree with the registry.
describe('the agency registry (platform/agencies.ts)', () => {
  it('has one subgraph per agency, plus the indicator catalog, each with its SDL and its own default port', () => {
    expect(subgraphs.map(({ definition }) => definition.name)).toEqual([...subgraphNames]);
    for (const name of subgraphNames) {
      const { definition, defaultPort } = subgraphOf(name);
      expect(definition.agency ?? 'indicators', name).toBe(isAgency(name) ? name : 'indicators');
      expect(existsSync(new URL(definition.schemaFile)), `${name}: its SDL`).toBe(true);
      expect(defaultPort).toBe(defaultPortOf(name));
    }
    expect(new Set(subgraphNames.map(defaultPortOf)).size).toBe(subgraphNames.length);
  });

  it("guards each agency's personal data with its own scope, and names no scope of an agency that does not exist", () => {
    const knownScopes = new Set<string>(agencies.map(personalDataScope));
    for (const agency of agencies) {
      const scopes = scopesNamedIn(read(`schema/${agency}.graphql`));
      expect(scopes.has(personalDataScope(agency)), `schema/${agency}.graphql names ${personalDataScope(agency)}`).toBe(true);
      for (const scope of scopes) if (scope.endsWith(':pii')) expect(knownScopes.has(scope), `${agency}: ${scope}`).toBe(true);
    }
  });

  it('is what the supergraph, the Containerfile and the production check use', () => {
    const supergraph = parse(read('schema/supergraph.graphql'));
    const urls = new Map<string, string>();
    visit(supergraph, {
      EnumValueDefinition(value) {
        const joinGraph = value.directives?.find((directive) => directive.name.value === 'join__graph');
        const argument = (name: string) => joinGraph?.arguments?.find((each) => each.name.value === name)?.value;
        const name = argument('name');
        const url = argument('url');
        if (name?.kind === Kind.STRING && url?.kind === Kind.STRING) urls.set(name.value, url.value);
      },
    });
    expect([...urls.keys()].sort()).toEqual([...subgraphNames].sort());
    for (const name of subgraphNames) expect(new URL(urls.get(name)!).port, name).toBe(String(defaultPortOf(name)));

    const exposed =
      read('Containerfile')
        .match(/^EXPOSE (.+)$/m)?.[1]
        ?.split(/\s+/) ?? [];
    for (const name of subgraphNames) expect(exposed, `Containerfile exposes ${name}`).toContain(String(defaultPortOf(name)));

    // The production check starts every subgraph on a free port: one it missed would collide with another run.
    const productionCheck = read('scripts/production-check.sh');
    for (const name of subgraphNames) expect(productionCheck).toContain(`${subgraphPortVariable(name)}=0`);
  });

  it("is the README's table of agencies", () => {
    const rows = read('README.md')
      .split('\n')
      .filter((line) => /^\| `[a-z-]+` \|/.test(line));
    expect(rows).toEqual(
      agencies.map((agency) => {
        const { database, keeper, defaultPort } = agencyRegistry[agency];
        return `| \`${agency}\` | ${database} | ${keeper} | ${defaultPort} | \`${databaseUrlVariable(agency)}\` | \`${personalDataScope(agency)}\` |`;
      }),
    );
  });
});
