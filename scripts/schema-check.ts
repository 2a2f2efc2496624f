/**
 * `npm run schema:check [-- --accept]`: compares the API schema clients see now
 * (schema/api.graphql) with the last released one (schema/released/api.graphql)
 * and prints every change; exits 1 when a change would break a client written
 * against the release (a field, argument, type or enum value removed, a type
 * changed, a new required argument...). `--accept` is the release step: it
 * makes the current schema the released one, on purpose, after the deprecation
 * period docs/api-changes.md sets. `--current FILE` and `--released FILE`
 * compare other files.
 */
import './node-version.js';
import { type Change, CriticalityLevel, diff } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { badUserInput } from '../platform/errors.js';
import { apiSchemaFile, releasedApiSchemaFile } from './compose/api-schema.js';
import { composeSchemas } from './compose/supergraph.js';
import { runCli } from './cli.js';

const usage = 'Usage: npm run schema:check [-- --accept] [--current schema/api.graphql] [--released schema/released/api.graphql]';

const labels: Record<CriticalityLevel, string> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'non-breaking',
};
const order = [CriticalityLevel.Breaking, CriticalityLevel.Dangerous, CriticalityLevel.NonBreaking];

function load(file: string, what: string): GraphQLSchema {
  try {
    return buildSchema(readFileSync(file, 'utf8'));
  } catch (error) {
    throw badUserInput(`${what} (${file}) is not a schema: ${(error as Error).message}`);
  }
}

runCli(async () => {
  let values;
  try {
    ({ values } = parseArgs({
      options: { accept: { type: 'boolean', default: false }, current: { type: 'string' }, released: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    throw badUserInput(`${(error as Error).message}\n${usage}`);
  }
  const current = values.current ?? fileURLToPath(apiSchemaFile);
  const released = values.released ?? fileURLToPath(releasedApiSchemaFile);
  const shown = (file: string) => path.relative(process.cwd(), file) || file;

  // The file is what is compared and committed; a subgraph SDL edited without `npm run compose` would pass unseen.
  if (values.current === undefined && readFileSync(current, 'utf8') !== composeSchemas().api)
    throw badUserInput(`${shown(current)} is not what the subgraph SDLs compose to now: run npm run compose first`);

  if (!existsSync(released)) {
    if (!values.accept)
      throw badUserInput(
        `There is no released schema at ${shown(released)}: npm run schema:check -- --accept makes the current one the baseline`,
      );
  } else {
    const changes: Change[] = await diff(load(released, 'The released schema'), load(current, 'The current schema'));
    const breaking = changes.filter((change) => change.criticality.level === CriticalityLevel.Breaking);
    console.log(
      changes.length === 0
        ? `No change to the API since the last release (${shown(released)}).`
        : `${changes.length} change(s) to the API since the last release (${shown(released)}), ${breaking.length} breaking:`,
    );
    // Why a dangerous change may still hurt is worth reading; a breaking one says enough in its message.
    for (const level of order)
      for (const change of changes.filter((candidate) => candidate.criticality.level === level))
        console.log(
          `  ${labels[level].padEnd(12)}  ${change.message}${level === CriticalityLevel.Dangerous && change.criticality.reason ? ` (${change.criticality.reason})` : ''}`,
        );
    if (breaking.length > 0 && !values.accept) {
      console.error(
        `error: ${breaking.length} breaking change(s): a client written against the last release may fail. ` +
          'Keep the old element beside its replacement and mark it @deprecated(reason: "Use ... instead.") until the ' +
          'deprecation period in docs/api-changes.md has passed; then release on purpose: npm run schema:check -- --accept',
      );
      process.exitCode = 1;
      return;
    }
    if (!values.accept) return;
  }
  mkdirSync(path.dirname(released), { recursive: true });
  copyFileSync(current, released);
  console.log(`Released: ${shown(released)} is now ${shown(current)}. Commit it with the release's entry in docs/api-changes.md.`);
});
