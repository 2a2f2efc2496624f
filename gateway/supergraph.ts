import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { subgraphs } from '../subgraphs/index.js';

export const supergraphFile = new URL('../schema/supergraph.graphql', import.meta.url);

/**
 * Composes the subgraph SDLs in schema/ into the supergraph the gateway serves.
 * Each subgraph's URL in it is its default local address; a deployment
 * overrides them with SUBGRAPH_<NAME>_URL rather than recomposing.
 */
export function composeSupergraph(): string {
  const result = composeServices(
    subgraphs.map(({ definition, defaultPort }) => ({
      name: definition.name,
      url: `http://127.0.0.1:${defaultPort}/graphql`,
      typeDefs: parse(readFileSync(definition.schemaFile, 'utf8')),
    })),
  );
  if (result.errors) throw new Error(`The subgraphs do not compose:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  return result.supergraphSdl;
}

export function readSupergraph(): string {
  return readFileSync(supergraphFile, 'utf8');
}

/** The security features this gateway enforces itself (the access plugin), by their spec URL. */
const enforcedByThisGateway = ['https://specs.apollo.dev/requiresScopes/', 'https://specs.apollo.dev/authenticated/'];

/**
 * The supergraph as @apollo/gateway is given it. @apollo/gateway refuses any
 * feature linked `for: SECURITY` that it does not enforce, and it enforces
 * neither @requiresScopes nor @authenticated (Apollo Router does). This
 * gateway does, before planning, from the original supergraph; so the
 * links lose their `for: SECURITY` here and @apollo/gateway plans as usual.
 */
export function supergraphForPlanner(supergraphSdl: string): string {
  return supergraphSdl.replace(/@link\(url: "([^"]+)", for: SECURITY\)/g, (link, url: string) =>
    enforcedByThisGateway.some((prefix) => url.startsWith(prefix)) ? `@link(url: "${url}")` : link,
  );
}
