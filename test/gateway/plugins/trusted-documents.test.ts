import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CheckPinsDocument } from '../../../clients/typescript/index.js';
import { documentHash, loadShippedTrustedDocuments, trustedDocumentsOnlyScope } from '../../../gateway/trusted-documents.js';
import { gatewayPinLookup } from '../../../scripts/reconcile/reconcile.js';
import { bearer, startTestSystem, type TestSystem } from '../../support/system.js';

// Reconciliation's operation as the gateway trusts it: its hash and the text the manifest gives for it.
const checkPinsHash = String(CheckPinsDocument.__meta__?.hash).replace(/^sha256:/, '');
const checkPinsQuery = loadShippedTrustedDocuments().get(checkPinsHash)!;

/** A client bound to trusted documents (an agency's reconciliation system), beside an analyst who is not. */
describe('clients bound to trusted documents', () => {
  let test: TestSystem;
  let bound: Record<string, string>;
  // A manifest of the deployment's own, beside the shipped ones (TRUSTED_DOCUMENTS).
  const ownDocument = 'query OwnTasks { tasks { number } }';
  beforeAll(async () => {
    const manifest = path.join(mkdtempSync(path.join(tmpdir(), 'trusted-')), 'own.json');
    writeFileSync(manifest, JSON.stringify({ [`sha256:${documentHash(ownDocument)}`]: ownDocument }));
    test = await startTestSystem({ securityEnvironment: { TRUSTED_DOCUMENTS: manifest } });
    bound = bearer(
      await test.security.token({ subject: 'reconciliation-system', scopes: ['population:pii', trustedDocumentsOnlyScope] }),
      'public-service',
    );
  });
  afterAll(() => test?.stop());

  const send = async (headers: Record<string, string>, body: object) => {
    const response = await fetch(test.system.gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      ...((await response.json()) as { data?: unknown; errors?: Array<{ extensions?: { code?: string } }> }),
    };
  };
  const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

  it('runs a trusted document sent by its hash alone, or with its exact text', async () => {
    const variables = { pins: [test.pin] };
    for (const body of [
      { variables, extensions: persisted(checkPinsHash) },
      { query: checkPinsQuery, variables, extensions: persisted(checkPinsHash) },
    ]) {
      const answer = await send(bound, body);
      expect(answer.errors, JSON.stringify(body)).toBeUndefined();
      expect(answer.data).toEqual({ citizens: [{ pin: test.pin }] });
    }
  });

  it('runs a document of the manifest TRUSTED_DOCUMENTS names', async () => {
    const answer = await send(bound, { extensions: persisted(documentHash(ownDocument)) });
    expect(answer.errors).toBeUndefined();
    expect((answer.data as { tasks: unknown[] }).tasks).toHaveLength(18);
  });

  it('refuses anything else with OPERATION_NOT_TRUSTED, before planning', async () => {
    const adHoc = 'query ($pins: [ID!]!) { citizens(pins: $pins) { pin fullName } }';
    for (const body of [
      { query: adHoc, variables: { pins: [test.pin] } },
      { query: adHoc, variables: { pins: [test.pin] }, extensions: persisted(documentHash(adHoc)) },
    ]) {
      const answer = await send(bound, body);
      expect(answer.data).toBeUndefined();
      expect(answer).toMatchObject({ status: 403, errors: [{ extensions: { code: 'OPERATION_NOT_TRUSTED' } }] });
    }
    // A known hash with another text: never run as the trusted document.
    const swapped = await send(bound, {
      query: adHoc,
      variables: { pins: [test.pin] },
      extensions: persisted(checkPinsHash),
    });
    expect(swapped.data).toBeUndefined();
    expect(swapped.errors?.length).toBeGreaterThan(0);
  });

  it('leaves ad hoc queries to everyone else', async () => {
    const answer = await send(test.analyst, { query: '{ tasks { number } }' });
    expect(answer.errors).toBeUndefined();
  });

  it('lets the reconciliation client run bound to trusted documents', async () => {
    const lookup = gatewayPinLookup(test.system.gateway.url, bound);
    expect(await lookup([test.pin])).toEqual(new Set([test.pin]));
  });
});
