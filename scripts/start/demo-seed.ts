import { announceDataChange } from '../../gateway/cache/announce.js';
import type { JwtVerification } from '../../gateway/auth/config.js';
import { signToken } from '../../gateway/auth/jwt.js';
import { agencies } from '../../platform/config.js';
import type { AgencyDatabases } from '../../platform/database/open-databases.js';
import { gatewayPinLookup, reconcile, reconcilableAgencies, type ReconcilableAgency } from '../reconcile/reconcile.js';
import { defaultAsOf } from '../seed/generator.js';
import { seed } from '../seed/load.js';

/**
 * The demo dataset of `npm start` on embedded defaults: generated on the
 * first run, when the population database is empty (never in production),
 * and its agencies' PINs then checked through the running gateway.
 */

export interface DemoSeedOptions {
  /** Citizens to generate (DEMO_CITIZENS). */
  readonly citizens: number;
  readonly production: boolean;
  readonly signal: AbortSignal;
  readonly say: (line: string) => void;
}

/** Generates the demo dataset if this is a first run; whether it was. */
export async function seedDemoOnFirstRun(databases: AgencyDatabases, options: DemoSeedOptions): Promise<boolean> {
  const { say } = options;
  const population = databases.get('population');
  const [relation] = await population.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    `${databases.sourceSchema}.citizen`,
  ]);
  const [{ citizens }] = relation!.present
    ? ((await population.query<{ citizens: number }>('SELECT count(*) AS citizens FROM citizen')) as [{ citizens: number }])
    : [{ citizens: 0 }];
  if (citizens > 0) return false;
  if (options.production) {
    say(
      "The population database is empty; production never generates demo data: load the agencies' data (npm run seed is for test data only).",
    );
    return false;
  }
  say(
    `First run: generating a demo dataset of ${options.citizens.toLocaleString('en')} citizens with their records in all four agencies...`,
  );
  let lastPercent = -1;
  await seed(
    databases,
    { citizens: options.citizens, seed: 1, asOf: defaultAsOf },
    {
      signal: options.signal,
      onProgress(done, total) {
        const percent = Math.floor((100 * done) / total);
        if (percent >= lastPercent + 20 || done === total) say(`  ${percent}%`);
        lastPercent = percent;
      },
    },
  );
  // A shared Redis may still hold answers about data that no longer exist.
  say(`Cache: ${await announceDataChange(agencies)}`);
  return true;
}

/**
 * The demo's agencies check their PINs through the gateway, as real ones do,
 * so the match indicators have figures; with a token the development secret signs.
 */
export async function reconcileDemo(
  databases: AgencyDatabases,
  options: {
    readonly gatewayUrl: string;
    readonly tokens: Extract<JwtVerification, { kind: 'secret' }>;
    readonly signal: AbortSignal;
    readonly say: (line: string) => void;
  },
): Promise<void> {
  const token = await signToken(
    options.tokens,
    { subject: 'demo-reconciliation', agency: 'demo', scopes: ['population:pii'], purpose: 'data-reconciliation' },
    3_600,
  );
  for (const agency of Object.keys(reconcilableAgencies) as ReconcilableAgency[]) {
    const report = await reconcile(databases, agency, gatewayPinLookup(options.gatewayUrl, { authorization: `Bearer ${token}` }), {
      signal: options.signal,
    });
    options.say(
      `Checked ${report.checked.toLocaleString('en')} ${agency} PINs against the population database: ${report.matched.toLocaleString('en')} matched`,
    );
  }
}
