/**
 * `npm run api-key -- create|list|revoke`: API keys of machine clients, in the
 * gateway's database. A new key is printed once; only its hash is kept.
 */
import './node-version.js';
import { parseArgs } from 'node:util';
import { readAuditDatabaseUrl } from '../gateway/auth/config.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../gateway/auth/api-keys.js';
import { openGatewayDatabase } from '../gateway/database.js';
import { readDatabaseConfig } from '../platform/config.js';
import { badUserInput } from '../platform/errors.js';
import { runCli } from './cli.js';

const usage = [
  'Usage:',
  '  npm run api-key -- create --name "HIS Bạch Mai" --agency health --scopes health:pii,indicators:read [--expires 2027-12-31]',
  '  npm run api-key -- list',
  '  npm run api-key -- revoke --id <12 hex digits>',
].join('\n');

runCli(async () => {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        agency: { type: 'string' },
        scopes: { type: 'string' },
        expires: { type: 'string' },
        id: { type: 'string' },
      },
      strict: true,
    });
  } catch (error) {
    throw badUserInput(`${(error as Error).message}\n${usage}`);
  }
  const { positionals, values } = parsed;
  const command = positionals[0];
  if (positionals.length !== 1 || !['create', 'list', 'revoke'].includes(command ?? ''))
    throw badUserInput(`Say create, list or revoke.\n${usage}`);
  let expiresAt: Date | undefined;
  if (command === 'create') {
    if (!values.name || !values.agency || !values.scopes) throw badUserInput(`create needs --name, --agency and --scopes.\n${usage}`);
    if (values.expires !== undefined) {
      expiresAt = new Date(values.expires);
      if (Number.isNaN(expiresAt.getTime()) || expiresAt <= new Date())
        throw badUserInput(`--expires must be a future date, e.g. 2027-12-31; got ${JSON.stringify(values.expires)}`);
    }
  }
  if (command === 'revoke' && !values.id) throw badUserInput(`revoke needs --id.\n${usage}`);

  const database = await openGatewayDatabase({ url: readAuditDatabaseUrl(process.env), dataDir: readDatabaseConfig().dataDir });
  try {
    if (command === 'create') {
      const { key, apiKey } = await createApiKey(database, {
        name: values.name!,
        agency: values.agency!,
        scopes: values
          .scopes!.split(',')
          .map((scope) => scope.trim())
          .filter(Boolean),
        ...(expiresAt ? { expiresAt } : {}),
      });
      console.log(`Created API key ${apiKey.id} for ${apiKey.name} (${apiKey.agency}), scopes ${apiKey.scopes.join(' ')}.`);
      console.log('Give this key to its holder now; it is not stored and cannot be shown again:');
      console.log(key);
    } else if (command === 'list') {
      const keys = await listApiKeys(database);
      if (keys.length === 0) console.log('No API keys.');
      for (const key of keys) {
        const state = key.revokedAt
          ? `revoked ${key.revokedAt.toISOString()}`
          : key.expiresAt
            ? `expires ${key.expiresAt.toISOString()}`
            : 'active';
        console.log(`${key.id}  ${key.name}  ${key.agency}  ${key.scopes.join(' ')}  ${state}`);
      }
    } else {
      const key = await revokeApiKey(database, values.id!);
      console.log(`Revoked API key ${key.id} (${key.name}); replicas stop accepting it within 30 seconds.`);
    }
  } finally {
    await database.close();
  }
});
