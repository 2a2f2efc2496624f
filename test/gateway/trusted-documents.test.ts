import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CheckPinsDocument } from '../../clients/typescript/index.js';
import { readSecurityConfig } from '../../gateway/auth/config.js';
import { documentHash, loadShippedTrustedDocuments, loadTrustedDocuments } from '../../gateway/trusted-documents.js';

const folder = () => mkdtempSync(path.join(tmpdir(), 'trusted-'));
const tasks = '{ tasks { number } }';
const indicators = 'query Indicators { indicators { id } }';

describe('trusted document manifests', () => {
  it('reads graphql-codegen’s and Apollo’s formats from a folder, merged', () => {
    const where = folder();
    writeFileSync(path.join(where, 'persisted-documents.json'), JSON.stringify({ [documentHash(tasks)]: tasks }));
    writeFileSync(
      path.join(where, 'apollo.json'),
      JSON.stringify({
        format: 'apollo-persisted-query-manifest',
        version: 1,
        operations: [{ id: documentHash(indicators), name: 'Indicators', type: 'query', body: indicators }],
      }),
    );
    writeFileSync(path.join(where, 'notes.txt'), 'not a manifest');
    expect(new Map(loadTrustedDocuments(where))).toEqual(
      new Map([
        [documentHash(indicators), indicators],
        [documentHash(tasks), tasks],
      ]),
    );
  });

  it('refuses, naming the file, a document whose hash is not its SHA-256', () => {
    const file = path.join(folder(), 'bad.json');
    writeFileSync(file, JSON.stringify({ [documentHash(tasks)]: indicators }));
    expect(() => loadTrustedDocuments(file)).toThrow(
      /^TRUSTED_DOCUMENTS: .*bad\.json: the document listed as [0-9a-f]{64} has another SHA-256/,
    );
  });

  it.each([
    ['not JSON', '{', /is not JSON/],
    ['not a manifest', '[1, 2]', /is not a manifest object/],
    ['an Apollo manifest without operations', '{"format": "apollo-persisted-query-manifest"}', /needs an operations list/],
    ['a key that is no hash', '{"tasks": "{ tasks { number } }"}', /is not a SHA-256 mapped to a document/],
  ])('refuses a manifest that is %s', (_case, text, message) => {
    const file = path.join(folder(), 'manifest.json');
    writeFileSync(file, text);
    expect(() => loadTrustedDocuments(file)).toThrow(message);
  });

  it('takes more manifests from TRUSTED_DOCUMENTS, and stops at start-up naming it when the path does not exist', () => {
    const file = path.join(folder(), 'extra.json');
    writeFileSync(file, JSON.stringify({ [documentHash(tasks)]: tasks }));
    expect(readSecurityConfig({ TRUSTED_DOCUMENTS: file }, false).trustedDocumentsPath).toBe(file);
    expect(readSecurityConfig({}, false).trustedDocumentsPath).toBeUndefined();
    expect(() => readSecurityConfig({ TRUSTED_DOCUMENTS: '/nowhere/manifests' }, false)).toThrow(/TRUSTED_DOCUMENTS/);
  });

  it('refuses a path that does not exist', () => {
    expect(() => loadTrustedDocuments('/nowhere/manifests')).toThrow(
      /TRUSTED_DOCUMENTS: \/nowhere\/manifests is neither a manifest file nor a folder/,
    );
  });

  it('ships the typed client’s operations (graphql-codegen’s manifest, sha256: keys), reconciliation’s among them', () => {
    const shipped = loadShippedTrustedDocuments();
    const hash = String(CheckPinsDocument.__meta__?.hash).replace(/^sha256:/, '');
    expect(shipped.get(hash)).toBe('query CheckPins($pins: [ID!]!) { citizens(pins: $pins) { pin } }');
    expect(shipped.size).toBeGreaterThanOrEqual(4);
  });
});
