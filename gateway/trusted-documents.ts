import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { AppError, ErrorCode } from '../platform/errors.js';

/**
 * Trusted documents: the operations a machine client bound to them may run,
 * by the SHA-256 of their text. Read from JSON manifests in the two formats
 * clients already produce: graphql-codegen's client preset
 * (`persisted-documents.json`: `{ "<sha256>": "<document>" }`) and Apollo's
 * persisted query list (`{ "format": "apollo-persisted-query-manifest",
 * "operations": [{ "id", "body", ... }] }`). A manifest whose hash does not
 * match its document stops the gateway at start-up, naming the file.
 */
export type TrustedDocuments = ReadonlyMap<string, string>;

/** The scope that binds a credential to trusted documents: its holder may run nothing else. */
export const trustedDocumentsOnlyScope = 'operations:trusted-only';

/** The manifests shipped with the gateway: the operations of its own clients (reconciliation, the dashboard). */
export const shippedManifests = new URL('../schema/trusted-documents/', import.meta.url);

export const documentHash = (document: string) => createHash('sha256').update(document).digest('hex');

/** Every manifest of a file or folder (its .json files), merged. */
export function loadTrustedDocuments(location: string | URL): TrustedDocuments {
  const where = typeof location === 'string' ? location : location.pathname;
  const invalid = (message: string) => new AppError(ErrorCode.CONFIG_INVALID, `TRUSTED_DOCUMENTS: ${message}`);
  let files: string[];
  try {
    files = statSync(where).isDirectory()
      ? readdirSync(where)
          .filter((name) => name.endsWith('.json'))
          .sort()
          .map((name) => path.join(where, name))
      : [where];
  } catch {
    throw invalid(`${where} is neither a manifest file nor a folder of them`);
  }
  const documents = new Map<string, string>();
  for (const file of files) {
    let manifest: unknown;
    try {
      manifest = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw invalid(`${file} is not JSON (${(error as Error).message})`);
    }
    for (const [hash, document] of entriesOf(manifest, file, invalid)) {
      if (documentHash(document) !== hash)
        throw invalid(`${file}: the document listed as ${hash} has another SHA-256 (${documentHash(document)})`);
      documents.set(hash, document);
    }
  }
  return documents;
}

function entriesOf(manifest: unknown, file: string, invalid: (message: string) => AppError): Array<[string, string]> {
  const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) throw invalid(`${file} is not a manifest object`);
  const record = manifest as Record<string, unknown>;
  if (record.format === 'apollo-persisted-query-manifest') {
    if (!Array.isArray(record.operations)) throw invalid(`${file}: an Apollo manifest needs an operations list`);
    return record.operations.map((operation: { id?: unknown; body?: unknown }, index) => {
      if (!isText(operation?.id) || !isText(operation.body)) throw invalid(`${file}: operations[${index}] needs an id and a body`);
      return [operation.id, operation.body];
    });
  }
  return Object.entries(record).map(([hash, document]) => {
    if (!/^[0-9a-f]{64}$/.test(hash) || !isText(document))
      throw invalid(`${file}: ${JSON.stringify(hash)} is not a SHA-256 mapped to a document`);
    return [hash, document];
  });
}
