/** `npm run compose`: writes schema/supergraph.graphql from the subgraph SDLs. */
import './node-version.js';
import { writeFileSync } from 'node:fs';
import { supergraphFile } from '../gateway/supergraph.js';
import { composeSupergraph } from './compose/supergraph.js';
import { runCli } from './cli.js';

runCli(async () => {
  writeFileSync(supergraphFile, composeSupergraph());
  console.log(`Wrote ${supergraphFile.pathname}`);
});
