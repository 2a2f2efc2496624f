/**
 * Runs an operator command (`npm start`, `npm run seed`, ...) from the source
 * in development and from the build (dist/) in production. Plain JavaScript:
 * it must run where neither tsx nor the TypeScript compiler is installed.
 *
 * The build runs when NODE_ENV is production or tsx is not installed (after
 * `npm prune --omit=dev`); otherwise the source, through tsx.
 *
 * The serving commands (`start`, `subgraph`) start tracing first, before the
 * command imports `http` or `pg` (platform/telemetry.ts): it is off, and loads
 * nothing, unless an OTLP endpoint is set (docs/observability.md).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [command, ...rest] = process.argv.slice(2);
if (!command || !/^[a-z][a-z0-9/-]*$/.test(command)) {
  console.error(`usage: node scripts/launch.mjs COMMAND [ARGS...] (a file of scripts/, without extension); got ${JSON.stringify(command)}`);
  process.exit(2);
}
// The command sees its own arguments, as if it had been started directly.
process.argv = [process.argv[0], path.join(import.meta.dirname, `${command}.ts`), ...rest];

const root = path.resolve(import.meta.dirname, '..');
// The service name of each serving process, unless OTEL_SERVICE_NAME says otherwise: `npm start` is the gateway
// (with the subgraphs it runs itself), `npm run subgraph -- NAME` is subgraph-NAME.
const served =
  command === 'start'
    ? 'gateway'
    : command === 'subgraph'
      ? `subgraph-${rest.find((argument) => !argument.startsWith('-')) ?? ''}`
      : undefined;

/** Starts tracing from the telemetry module at `file` (source or build); a bad OTEL_* value stops here, naming it. */
async function startTelemetry(file) {
  if (!served) return;
  const { startTelemetry } = await import(pathToFileURL(file).href);
  try {
    await startTelemetry(served);
  } catch (error) {
    console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
const built = path.join(root, 'dist', 'scripts', `${command}.js`);
let tsx;
try {
  tsx = import.meta.resolve('tsx/esm/api');
} catch {
  tsx = undefined;
}
if (process.env.NODE_ENV === 'production' || !tsx) {
  if (!existsSync(built)) {
    console.error(
      `error: ${path.relative(root, built)} does not exist: run \`npm run build\` first (production runs the build, not the source).`,
    );
    process.exit(1);
  }
  await startTelemetry(path.join(root, 'dist', 'platform', 'telemetry.js'));
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import(tsx);
  register();
  await startTelemetry(path.join(root, 'platform', 'telemetry.ts'));
  await import(pathToFileURL(path.join(import.meta.dirname, `${command}.ts`)).href);
}
