import { generate } from '@graphql-codegen/cli';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../codegen.js';

const root = path.resolve(import.meta.dirname, '..');

describe('generated code: the resolver types and the typed client', () => {
  it('are what `npm run codegen` makes from schema/ now (run it and commit the result if this fails)', async () => {
    const outputs: Array<{ filename: string; content: string }> = await generate({ ...config, cwd: root, silent: true }, false);
    // One file per resolver-types target; the client preset writes several (graphql.ts, gql.ts, index.ts, the manifest).
    expect(outputs.length).toBeGreaterThan(Object.keys(config.generates).length);
    for (const output of outputs) {
      const committed = await readFile(path.resolve(root, output.filename), 'utf8').catch(() => '(missing)');
      expect(committed, `${output.filename} is stale`).toBe(output.content);
    }
  });
});
