import { CheckPinsDocument, createGatewayClient } from '../../clients/typescript/index.js';
import { agencyCounts } from '../../subgraphs/agencies.js';
import type { Database } from '../../platform/database/database.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { refreshMonthlyCounts } from '../../subgraphs/runtime/monthly-counts.js';
import { parsePin } from '../../platform/pin.js';

/** The agencies whose records carry a PIN to check, and where. */
export const reconcilableAgencies = {
  'civil-service': { schema: 'civil_service', table: 'civil_service.civil_servant', pinColumn: 'pin' },
  agriculture: { schema: 'agriculture', table: 'agriculture.farm_household', pinColumn: 'head_pin' },
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
  readonly onProgress?: (checked: number, total: number) => void;
}

/**
 * Checks an agency's PINs against the population database through the
 * gateway, a batch at a time, storing each record's status and time in the
 * agency's own database as it goes: an interrupted run resumes where it
 * stopped. Malformed PINs are marked unmatched without asking. The agency's
 * counts are rebuilt at the end, finished or not, so the match indicators
 * show what was checked.
 */
export async function reconcile(
  database: Database,
  agency: ReconcilableAgency,
  lookUp: PinLookup,
  options: ReconcileOptions = {},
): Promise<ReconcileReport> {
  const { schema, table, pinColumn } = reconcilableAgencies[agency];
  const batchSize = options.batchSize ?? 1_000;
  const [open] = await database.query<{ id: number }>(
    `SELECT id FROM ${schema}.pin_check_run WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1`,
  );
  const run = open ?? (await database.query<{ id: number }>(`INSERT INTO ${schema}.pin_check_run DEFAULT VALUES RETURNING id`))[0]!;
  const pending = `(pin_checked_at IS NULL OR pin_checked_at < (SELECT started_at FROM ${schema}.pin_check_run WHERE id = $1))`;
  const [{ total }] = (await database.query<{ total: number }>(`SELECT count(*) AS total FROM ${table} WHERE ${pending}`, [run.id])) as [
    { total: number },
  ];

  let checked = 0;
  let matched = 0;
  let afterId = 0;
  let finished = false;
  try {
    for (;;) {
      if (options.signal?.aborted) break;
      const batch = await database.query<{ id: number; pin: string }>(
        `SELECT id, ${pinColumn} AS pin FROM ${table} WHERE ${pending} AND id > $2 ORDER BY id LIMIT $3`,
        [run.id, afterId, batchSize],
      );
      if (batch.length === 0) {
        finished = true;
        break;
      }
      const wellFormed = batch.filter((record) => !('problem' in parsePin(record.pin))).map((record) => record.pin);
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
      const matchedIds = batch.filter((record) => found.has(record.pin)).map((record) => record.id);
      await database.transaction(async (session) => {
        await session.query(
          `UPDATE ${table} SET pin_check_status = CASE WHEN id = ANY($2::bigint[]) THEN 'MATCHED' ELSE 'UNMATCHED' END, pin_checked_at = now()
            WHERE id = ANY($1::bigint[])`,
          [batch.map((record) => record.id), matchedIds],
        );
        await session.query(`UPDATE ${schema}.pin_check_run SET checked = checked + $2, matched = matched + $3 WHERE id = $1`, [
          run.id,
          batch.length,
          matchedIds.length,
        ]);
      });
      checked += batch.length;
      matched += matchedIds.length;
      afterId = batch[batch.length - 1]!.id;
      options.onProgress?.(checked, total);
    }
  } finally {
    await database.transaction(async (session) => {
      if (finished) await session.query(`UPDATE ${schema}.pin_check_run SET finished_at = now() WHERE id = $1`, [run.id]);
      await refreshMonthlyCounts(session, agencyCounts[agency]);
    });
  }
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
