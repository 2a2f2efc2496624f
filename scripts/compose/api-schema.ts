import { readFileSync } from 'node:fs';

/** The API schema clients see now, written by `npm run compose`. */
export const apiSchemaFile = new URL('../../schema/api.graphql', import.meta.url);

/** The API schema of the last release: what `npm run schema:check` compares the current one with. */
export const releasedApiSchemaFile = new URL('../../schema/released/api.graphql', import.meta.url);

export function readApiSchema(): string {
  return readFileSync(apiSchemaFile, 'utf8');
}
