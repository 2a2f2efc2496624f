/**
 * Preloaded (`--import`) into a process under test: writes to the file named
 * by TEST_LOADED_MODULES_FILE every tracing module the process resolves (the
 * SDK, the exporters, the instrumentations, the module hooks), whether it is
 * imported or required. The telemetry tests read it to see that no tracing
 * code is loaded when tracing is off, and that it is when it is on.
 */
import { appendFileSync } from 'node:fs';
import * as modules from 'node:module';

const file = process.env.TEST_LOADED_MODULES_FILE;
const tracing =
  /platform\/telemetry-sdk\.|@opentelemetry\/(sdk-trace|exporter-trace|instrumentation|context-async-hooks)|import-in-the-middle/;

// npm itself, which runs on whatever Node.js the shell has, gets this preload too: it is not watched.
if (file && typeof modules.registerHooks === 'function') {
  modules.registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      if (tracing.test(resolved.url)) appendFileSync(file, `${resolved.url}\n`);
      return resolved;
    },
  });
}
