import { buildSchema, parse, type DocumentNode, type GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Caller } from '../../../platform/access/caller.js';
import { accessPlugin, schemaReadScope, type AccessContext, type AccessPolicy } from '../../../platform/access/plugin.js';
import type { OperationAccess } from '../../../platform/access/inspect.js';
import { readAccessRules } from '../../../platform/access/rules.js';

const sdl = `
  directive @authenticated on OBJECT | FIELD_DEFINITION
  directive @requiresScopes(scopes: [[String!]!]!) on OBJECT | FIELD_DEFINITION
  type Query { citizen(pin: ID!): Citizen, open: String }
  type Citizen @authenticated {
    pin: ID!
    fullName: String @requiresScopes(scopes: [["population:pii"]])
    household: String @requiresScopes(scopes: [["population:pii"]])
  }
`;
const schema = buildSchema(sdl);
const rules = readAccessRules(parse(sdl));

const officer: Caller = {
  subject: 'officer-17',
  agency: 'population',
  authenticated: true,
  scopes: new Set(['population:pii']),
  purpose: 'public-service',
  via: 'jwt',
  requestId: 'req-1',
};
const anonymous: Caller = {
  subject: 'anonymous',
  agency: null,
  authenticated: false,
  scopes: new Set(),
  purpose: null,
  via: 'anonymous',
  requestId: 'req-2',
};
const withScopes = (...scopes: string[]): Caller => ({ ...officer, scopes: new Set(scopes) });

type Plugin = ReturnType<typeof accessPlugin<AccessContext>>;
const policy = (more: Partial<AccessPolicy> = {}): AccessPolicy => ({ rules, introspectionForAll: false, ...more });

/** Runs the plugin's check as Apollo does after parsing and validation; the inspection it records, or what it threw. */
async function check(plugin: Plugin, caller: Caller, query: string | DocumentNode, operationName?: string) {
  const contextValue: AccessContext = { caller, access: {} };
  const listener = await plugin.requestDidStart!({} as never);
  const document = typeof query === 'string' ? parse(query) : query;
  try {
    await listener!.didResolveOperation!({ schema, document, operationName, contextValue } as never);
  } catch (error) {
    const { message, extensions } = error as GraphQLError;
    return { refused: { message, extensions } };
  }
  return { inspection: contextValue.access.inspection };
}

const forbidden = (message: string, more: object = {}) => ({
  refused: { message, extensions: { ...more, code: 'FORBIDDEN', http: { status: 403 } } },
});
const purposeRequired = (message: string) => ({ refused: { message, extensions: { code: 'PURPOSE_REQUIRED', http: { status: 403 } } } });
const passed = (inspection: OperationAccess) => ({ inspection });

describe('the access check before an operation runs', () => {
  it('lets a caller read what its scopes allow and records what the operation reads', async () => {
    expect(await check(accessPlugin(policy()), officer, '{ open citizen(pin: "1") { pin fullName } }')).toEqual(
      passed({ denied: [], personalFields: new Set(['Citizen.fullName']), introspection: false }),
    );
  });

  it('stops the whole operation with FORBIDDEN naming every field the caller may not read', async () => {
    expect(await check(accessPlugin(policy()), withScopes(), '{ open citizen(pin: "1") { pin fullName h: household } }')).toEqual(
      forbidden('officer-17 may not read: citizen.fullName (needs population:pii), citizen.h (needs population:pii)', {
        deniedFields: [
          { path: 'citizen.fullName', needs: 'population:pii' },
          { path: 'citizen.h', needs: 'population:pii' },
        ],
      }),
    );
  });

  it('tells an anonymous caller to authenticate first', async () => {
    expect(await check(accessPlugin(policy()), anonymous, '{ citizen(pin: "1") { pin } }')).toEqual(
      forbidden('Anonymous callers may not read (authenticate first): citizen (needs an authenticated caller)', {
        deniedFields: [{ path: 'citizen', needs: 'an authenticated caller' }],
      }),
    );
  });

  it('checks the operation the request names, not another in the document', async () => {
    const document = 'query Open { open } query Private { citizen(pin: "1") { fullName } }';
    expect(await check(accessPlugin(policy()), withScopes(), document, 'Open')).toEqual(
      passed({ denied: [], personalFields: new Set(), introspection: false }),
    );
    expect(await check(accessPlugin(policy()), withScopes(), document, 'Private')).toEqual(
      forbidden('officer-17 may not read: citizen.fullName (needs population:pii)', {
        deniedFields: [{ path: 'citizen.fullName', needs: 'population:pii' }],
      }),
    );
  });
});

describe('introspection', () => {
  const introspection = '{ __schema { queryType { name } } }';
  const refusal = forbidden('Introspection needs the schema:read scope');

  it('needs schema:read when the policy does not open it to all', async () => {
    expect(schemaReadScope).toBe('schema:read');
    expect(await check(accessPlugin(policy()), officer, introspection)).toEqual(refusal);
    expect(await check(accessPlugin(policy()), withScopes('schema:read'), introspection)).toEqual(
      passed({ denied: [], personalFields: new Set(), introspection: true }),
    );
  });

  it('is open to anyone, anonymous included, when the policy says so', async () => {
    expect(await check(accessPlugin(policy({ introspectionForAll: true })), anonymous, introspection)).toEqual(
      passed({ denied: [], personalFields: new Set(), introspection: true }),
    );
  });

  it('is refused before the fields are, so the answer does not reveal the schema', async () => {
    expect(await check(accessPlugin(policy()), anonymous, `{ __type(name: "Citizen") { name } citizen(pin: "1") { pin } }`)).toEqual(
      refusal,
    );
  });
});

describe('the purpose of reading personal data', () => {
  const purposes = new Set(['public-service', 'research']);
  const personal = '{ citizen(pin: "1") { fullName } }';

  it('must be declared', async () => {
    expect(await check(accessPlugin(policy({ purposes })), { ...officer, purpose: null }, personal)).toEqual(
      purposeRequired('This operation reads personal data: declare its purpose in the x-purpose header (one of: public-service, research)'),
    );
    expect(await check(accessPlugin(policy({ purposes })), { ...officer, purpose: '' }, personal)).toEqual(
      purposeRequired('This operation reads personal data: declare its purpose in the x-purpose header (one of: public-service, research)'),
    );
  });

  it('must be an accepted one', async () => {
    expect(await check(accessPlugin(policy({ purposes })), { ...officer, purpose: 'marketing' }, personal)).toEqual(
      purposeRequired('Purpose "marketing" is not an accepted one (public-service, research)'),
    );
  });

  it('lets an accepted purpose read personal data', async () => {
    expect(await check(accessPlugin(policy({ purposes })), { ...officer, purpose: 'research' }, personal)).toEqual(
      passed({ denied: [], personalFields: new Set(['Citizen.fullName']), introspection: false }),
    );
  });

  it('is not asked for an operation reading no personal data, nor where the policy leaves purposes to the gateway', async () => {
    const noPurpose = { ...officer, purpose: null };
    expect(await check(accessPlugin(policy({ purposes })), noPurpose, '{ citizen(pin: "1") { pin } }')).toEqual(
      passed({ denied: [], personalFields: new Set(), introspection: false }),
    );
    expect(await check(accessPlugin(policy()), noPurpose, personal)).toEqual(
      passed({ denied: [], personalFields: new Set(['Citizen.fullName']), introspection: false }),
    );
  });
});

describe('inspections kept per document', () => {
  const inspectionOf = async (plugin: Plugin, caller: Caller, document: DocumentNode, operationName?: string) =>
    (await check(plugin, caller, document, operationName)).inspection;

  it('are kept apart for callers with other scopes, other authentication or another operation of the document', async () => {
    const plugin = accessPlugin(policy());
    const document = parse('query Pin { citizen(pin: "1") { pin } } query Name { citizen(pin: "1") { fullName } }');
    const deniedName = forbidden('officer-17 may not read: citizen.fullName (needs population:pii)', {
      deniedFields: [{ path: 'citizen.fullName', needs: 'population:pii' }],
    });
    expect(await check(plugin, officer, document, 'Name')).toEqual(
      passed({ denied: [], personalFields: new Set(['Citizen.fullName']), introspection: false }),
    );
    expect(await check(plugin, withScopes(), document, 'Name')).toEqual(deniedName);
    expect(await check(plugin, withScopes(), document, 'Pin')).toEqual(
      passed({ denied: [], personalFields: new Set(), introspection: false }),
    );
    expect(await check(plugin, { ...anonymous, scopes: new Set() }, document, 'Pin')).toEqual(
      forbidden('Anonymous callers may not read (authenticate first): citizen (needs an authenticated caller)', {
        deniedFields: [{ path: 'citizen', needs: 'an authenticated caller' }],
      }),
    );
  });

  it('are reused for every caller with the same scopes', async () => {
    const plugin = accessPlugin(policy());
    const document = parse('{ citizen(pin: "1") { fullName } }');
    const first = await inspectionOf(plugin, officer, document);
    expect(await inspectionOf(plugin, { ...officer, subject: 'officer-18', scopes: new Set(['population:pii']) }, document)).toBe(first);
  });

  it('are kept for at most 100 sets of scopes per document', async () => {
    const plugin = accessPlugin(policy());
    const document = parse('{ open }');
    for (let index = 0; index < 99; index++) await inspectionOf(plugin, withScopes(`s${index}`), document);
    const hundredth = await inspectionOf(plugin, withScopes('s99'), document);
    expect(await inspectionOf(plugin, withScopes('s99'), document)).toBe(hundredth);
    const beyond = await inspectionOf(plugin, withScopes('s100'), document);
    const again = await inspectionOf(plugin, withScopes('s100'), document);
    expect(again).toEqual(beyond);
    expect(again).not.toBe(beyond);
  });
});
