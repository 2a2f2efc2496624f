import { readFileSync } from 'node:fs';

export const supergraphFile = new URL('../schema/supergraph.graphql', import.meta.url);

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
