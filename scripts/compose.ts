/** `npm run compose`: writes schema/supergraph.graphql and schema/api.graphql from the subgraph SDLs. */
import './node-version.js';
import { writeFileSync } from 'node:fs';
import { supergraphFile } from '../gateway/supergraph.js';
import { apiSchemaFile } from './compose/api-schema.js';
import { composeSchemas } from './compose/supergraph.js';
import { runCli } from './cli.js';

runCli(async () => {
  const { supergraph, api } = composeSchemas();
  writeFileSync(supergraphFile, supergraph);
  console.log(`Wrote ${supergraphFile.pathname}`);
  writeFileSync(apiSchemaFile, api);
  console.log(`Wrote ${apiSchemaFile.pathname}`);
});
