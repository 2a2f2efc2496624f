import type { ExampleData } from '../../gateway/explorer/examples.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';

/**
 * Picks, from the data at hand, the commune with most farm households and, in
 * development only, a living citizen who is a serving civil servant with an
 * e-health record, so that the explorer's examples answer with data. The
 * explorer is public: in production a real person's PIN (and what its choice
 * implies) is never put in it. Each agency is asked on its own.
 */
export async function findExampleData(databases: AgencyDatabases, options: { readonly withPin: boolean }): Promise<ExampleData> {
  const [commune] = await databases
    .get('agriculture')
    .query<{ code: string }>(
      'SELECT commune_code AS code FROM farm_household GROUP BY commune_code ORDER BY count(*) DESC, commune_code LIMIT 1',
    );
  const communeCode = commune ? { communeCode: commune.code } : {};
  if (!options.withPin) return communeCode;
  const servants = await databases
    .get('civil-service')
    .query<{ pin: string }>('SELECT pin FROM civil_servant WHERE left_on IS NULL ORDER BY id LIMIT 200');
  const pins = servants.map((row) => row.pin);
  const inHealth = new Set(
    (await databases.get('health').query<{ pin: string }>('SELECT pin FROM health_record WHERE pin = ANY($1::bpchar[])', [pins])).map(
      (row) => row.pin,
    ),
  );
  const alive = new Set(
    (
      await databases
        .get('population')
        .query<{ pin: string }>('SELECT pin FROM citizen WHERE pin = ANY($1::bpchar[]) AND died_on IS NULL', [pins])
    ).map((row) => row.pin),
  );
  const pin = pins.find((candidate) => inHealth.has(candidate) && alive.has(candidate));
  return { ...(pin ? { pin } : {}), ...communeCode };
}
