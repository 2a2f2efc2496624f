import { CheckPinsDocument, createGatewayClient } from '../../clients/typescript/index.js';
import { agencyCounts } from '../../subgraphs/agencies.js';
import type { Database } from '../../platform/database/database.js';
import { databasesOfSource, type AgencyDatabases } from '../../platform/database/open-databases.js';
import { AppError, describeError, ErrorCode } from '../../platform/errors.js';
import { log } from '../../platform/log.js';
import { countsDatabasesOf } from '../../subgraphs/runtime/refresh-counts.js';
import { refreshIncremental } from '../../subgraphs/runtime/refresh-incremental.js';
import { parsePin } from '../../platform/pin.js';

/** The agencies whose records carry a PIN to check: the source relation and its PIN column, and the store schema of the results. */
export const reconcilableAgencies = {
  'civil-service': { store: 'store_civil_service', relation: 'civil_servant', pinColumn: 'pin' },
  agriculture: { store: 'store_agriculture', relation: 'farm_household', pinColumn: 'head_pin' },
} as const;
export type ReconcilableAgency = keyof typeof reconcilableAgencies;

/** The one question reconciliation asks the gateway: which of these PINs belong to a citizen. */
export type PinLookup = (pins: readonly string[]) => Promise<Set<string>>;

export interface ReconcileReport {
  readonly resumed: boolean;
  readonly checked: number;
  readonly matched: number;
  readonly finished: boolean;
}

export interface ReconcileOptions {
  readonly batchSize?: number;
  readonly signal?: AbortSignal;
  /** After each batch: records gone through (checked now, or already checked in this run before it was resumed) of all. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Checks an agency's PINs against the population database through the
 * gateway, a batch at a time: records are read from the agency's source (only
 * read), and each one's result is stored in the store as it goes, so an
 * interrupted run resumes where it stopped. A record is due when it was never
 * checked, was checked before this run started, or its PIN has changed since.
 * Malformed PINs are marked unmatched without asking. The agency's counts are
 * refreshed at the end, finished or not, so the match indicators show what was checked.
 */
export async function reconcile(
  opened: AgencyDatabases | Database,
  agency: ReconcilableAgency,
  lookUp: PinLookup,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  // Given the agency's source alone (as earlier callers do), its store is the one it was opened with.
  const databases = 'store' in opened ? opened : databasesOfSource(opened);
  const { store: schema, relation, pinColumn } = reconcilableAgencies[agency];
  const source = databases.get(agency);
  const store = databases.store;
  const batchSize = options.batchSize ?? 1_000;
  const [open] = await store.query<{ id: number }>(
    `SELECT id FROM ${schema}.pin_check_run WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1`,
  );
  const run = open ?? (await store.query<{ id: number }>(`INSERT INTO ${schema}.pin_check_run DEFAULT VALUES RETURNING id`))[0]!;
  const [{ startedAt }] = (await store.query<{ startedAt: Date }>(
    `SELECT started_at AS "startedAt" FROM ${schema}.pin_check_run WHERE id = $1`,
    [run.id],
  )) as [{ startedAt: Date }];
  const [{ total }] = (await source.query<{ total: number }>(`SELECT count(*) AS total FROM ${databases.sourceSchema}.${relation}`)) as [
    { total: number },
  ];

  /** Looks a batch's PINs up and stores the results (and the run's tallies) in one transaction; how many matched. */
  const checkAndStore = async (batch: ReadonlyArray<{ id: number; pin: string }>): Promise<number> => {
    const wellFormed = batch.filter((record) => !('problem' in parsePin(record.pin.trim()))).map((record) => record.pin.trim());
    let found: Set<string>;
    try {
      found = wellFormed.length > 0 ? await lookUp(wellFormed) : new Set();
    } catch (error) {
      throw new AppError(
        ErrorCode.SUBGRAPH_UNAVAILABLE,
        `Cannot check PINs through the gateway: ${(error as Error).message}. Run again to resume.`,
        { cause: error },
      );
    }
    const matchedIds = batch.filter((record) => found.has(record.pin.trim())).map((record) => record.id);
    await store.transaction(async (session) => {
      await session.query(
        `INSERT INTO ${schema}.pin_check (id, pin, status, checked_at)
         SELECT id, pin, CASE WHEN id = ANY($3::bigint[]) THEN 'MATCHED' ELSE 'UNMATCHED' END, now()
           FROM unnest($1::bigint[], $2::text[]) AS checked (id, pin)
         ON CONFLICT (id) DO UPDATE SET pin = EXCLUDED.pin, status = EXCLUDED.status, checked_at = EXCLUDED.checked_at,
                                        change_seq = nextval('${schema}.pin_check_seq')`,
        [batch.map((record) => record.id), batch.map((record) => record.pin.trim()), matchedIds],
      );
      await session.query(`UPDATE ${schema}.pin_check_run SET checked = checked + $2, matched = matched + $3 WHERE id = $1`, [
        run.id,
        batch.length,
        matchedIds.length,
      ]);
    });
    return matchedIds.length;
  };

  let checked = 0;
  let matched = 0;
  let done = 0;
  let afterId = 0;
  let finished = false;
  let failure: unknown;
  try {
    for (;;) {
      if (options.signal?.aborted) break;
      // Source and store may be different servers: the source's records, then the store's results for them, joined here.
      const records = await source.query<{ id: number; pin: string }>(
        `SELECT id, ${pinColumn} AS pin FROM ${databases.sourceSchema}.${relation} WHERE id > $1 ORDER BY id LIMIT $2`,
        [afterId, batchSize],
      );
      if (records.length === 0) {
        finished = true;
        break;
      }
      afterId = records[records.length - 1]!.id;
      done += records.length;
      const results = new Map(
        (
          await store.query<{ id: number; pin: string; checkedAt: Date }>(
            `SELECT id, pin, checked_at AS "checkedAt" FROM ${schema}.pin_check WHERE id = ANY($1::bigint[])`,
            [records.map((record) => record.id)],
          )
        ).map((result) => [Number(result.id), result]),
      );
      const batch = records.filter((record) => {
        const result = results.get(Number(record.id));
        return !result || result.checkedAt < startedAt || result.pin.trim() !== record.pin.trim();
      });
      if (batch.length > 0) {
        matched += await checkAndStore(batch);
        checked += batch.length;
      }
      options.onProgress?.(done, total);
    }
  } catch (error) {
    failure = error;
  }
  // Whatever stopped the run, the counts are refreshed with what was stored: the failure that stopped it is then the one reported.
  try {
    if (finished) await store.query(`UPDATE ${schema}.pin_check_run SET finished_at = now() WHERE id = $1`, [run.id]);
    // The results just stored are read back as changes (with the source's, which other writers may still be committing).
    await refreshIncremental(countsDatabasesOf(databases, agency), agencyCounts[agency]);
  } catch (error) {
    if (failure === undefined) throw error;
    log.error(
      { agency, error: describeError(error) },
      'the counts were not refreshed after the failed run: npm run refresh-counts brings them up to date',
    );
  }
  if (failure !== undefined) throw failure;
  return { resumed: open !== undefined, checked, matched, finished };
}

/** Looks PINs up with the gateway's citizens(pins): a PIN matches when a citizen comes back for it. */
/**
 * Asks the gateway which PINs belong to a citizen, through the typed client
 * (clients/typescript): its CheckPins operation is a trusted document, so a
 * reconciliation key may be bound to trusted documents.
 */
export function gatewayPinLookup(gatewayUrl: string, headers: Record<string, string> = {}): PinLookup {
  const client = createGatewayClient({ url: gatewayUrl, headers });
  return async (pins) => {
    const { citizens } = await client.request(CheckPinsDocument, { pins: [...pins] });
    return new Set(citizens.filter((citizen): citizen is { pin: string } => citizen !== null).map((citizen) => citizen.pin));
  };
}
