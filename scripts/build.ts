/**
 * `npm run build`: the production build. Compiles the gateway, the platform,
 * the subgraphs and the operator commands to dist/ (tsc, tsconfig.build.json),
 * then copies beside them the files they read at run time, found by where the
 * code looks for them (relative to its own module): the SDLs and supergraph
 * (schema/), migrations, the administrative units' data, and any built client
 * assets. After `npm prune --omit=dev`, `npm start` and the other operator
 * commands run from dist/ (scripts/launch.mjs decides).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist');
const sourceFolders = ['gateway', 'platform', 'subgraphs', 'scripts', 'schema', 'clients'];
/** What is code (compiled, or not shipped) rather than a file the code reads. */
const notAsset = (name: string) => name.endsWith('.ts') || name.endsWith('.md') || name === 'node_modules' || name.startsWith('.');

rmSync(out, { recursive: true, force: true });
execFileSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
});
let copied = 0;
const copyAssets = (folder: string) => {
  for (const entry of readdirSync(path.join(root, folder), { withFileTypes: true })) {
    if (notAsset(entry.name)) continue;
    const relative = path.join(folder, entry.name);
    if (entry.isDirectory()) copyAssets(relative);
    else {
      cpSync(path.join(root, relative), path.join(out, relative));
      copied++;
    }
  }
};
for (const folder of sourceFolders) if (existsSync(path.join(root, folder))) copyAssets(folder);
console.log(`Built dist/: compiled TypeScript and ${copied} files the code reads at run time.`);
