/** `npm run compose`: writes schema/supergraph.graphql and schema/api.graphql from the subgraph SDLs, and the dashboard's trusted documents. */
import './node-version.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { supergraphFile } from '../gateway/supergraph.js';
import { apiSchemaFile } from './compose/api-schema.js';
import { dashboardManifest, dashboardManifestFile } from './compose/dashboard-documents.js';
import { composeSchemas } from './compose/supergraph.js';
import { runCli } from './cli.js';

runCli(async () => {
  const { supergraph, api } = composeSchemas();
  writeFileSync(supergraphFile, supergraph);
  console.log(`Wrote ${supergraphFile.pathname}`);
  writeFileSync(apiSchemaFile, api);
  console.log(`Wrote ${apiSchemaFile.pathname}`);
  mkdirSync(new URL('.', dashboardManifestFile), { recursive: true });
  writeFileSync(dashboardManifestFile, dashboardManifest());
  console.log(`Wrote ${dashboardManifestFile.pathname}`);
});
