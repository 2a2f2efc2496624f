import type { Database } from '../../platform/database/database.js';
import { AppError, ErrorCode } from '../../platform/errors.js';
import { sendError, sendJson } from '../../platform/http.js';
import { isPinShaped } from '../../platform/pin.js';
import { readRecords, type RecordFilter } from '../audit/records.js';
import type { AuditTrail } from '../audit/trail.js';
import type { Admit } from './admission.js';
import type { Route } from './index.js';

export const auditRecordsPath = '/audit/records';
export const auditReadScope = 'audit:read';

/**
 * GET /audit/records?pin=&subject=&from=&to=&after=&limit= for auditors
 * (scope audit:read): records in sequence order, a page at a time (`after` is
 * the last sequence of the previous page). Reading the trail is itself
 * recorded in it.
 */
export function createAuditRecordsRoute(options: {
  readonly database: Database;
  readonly trail: AuditTrail;
  readonly admit: Admit;
}): Route {
  const { database, trail } = options;
  return async (request, response) => {
    const caller = await options.admit(request, response);
    if (!caller) return;
    if (request.method !== 'GET')
      return sendError(response, new AppError(ErrorCode.METHOD_NOT_ALLOWED, `Use GET on ${auditRecordsPath}`), [['allow', 'GET']]);
    if (!caller.scopes.has(auditReadScope))
      return sendError(response, new AppError(ErrorCode.FORBIDDEN, `Reading the audit trail needs the ${auditReadScope} scope`));
    let filter: RecordFilter;
    try {
      filter = parseFilter(new URL(request.url ?? '/', 'http://localhost').searchParams);
    } catch (error) {
      return sendError(response, error as AppError);
    }
    try {
      await trail.record({
        recordedAt: new Date(),
        subject: caller.subject,
        agency: caller.agency,
        purpose: caller.purpose ?? 'audit',
        operationName: 'AuditRecords',
        operationHash: '',
        pins: filter.pin ? [filter.pin] : [],
        fields: ['AuditRecord'],
        requestId: caller.requestId,
      });
      const records = await readRecords(database, filter);
      sendJson(response, 200, { records, nextAfter: records.length === filter.limit ? records.at(-1)!.sequence : null });
    } catch (error) {
      sendError(
        response,
        error instanceof AppError
          ? error
          : new AppError(ErrorCode.AUDIT_UNAVAILABLE, 'The audit trail cannot be read now', { cause: error }),
      );
    }
  };
}

function parseFilter(parameters: URLSearchParams): RecordFilter {
  const known = new Set(['pin', 'subject', 'from', 'to', 'after', 'limit']);
  const unknown = [...parameters.keys()].filter((name) => !known.has(name));
  const bad = (message: string) => new AppError(ErrorCode.BAD_USER_INPUT, message);
  if (unknown.length > 0) throw bad(`Unknown parameters ${unknown.join(', ')}; use ${[...known].join(', ')}`);
  const date = (name: string) => {
    const value = parameters.get(name);
    if (value === null) return undefined;
    const parsed = new Date(value);
    if (Number.isNaN(parsed.getTime()))
      throw bad(`${name} must be a date or time, e.g. 2026-11-29 or 2026-11-29T08:00:00Z; got ${JSON.stringify(value)}`);
    return parsed;
  };
  const integer = (name: string, fallback: number | undefined, minimum: number, maximum: number) => {
    const value = parameters.get(name);
    if (value === null) return fallback;
    if (!/^\d{1,15}$/.test(value) || Number(value) < minimum || Number(value) > maximum)
      throw bad(`${name} must be a whole number from ${minimum} to ${maximum}; got ${JSON.stringify(value)}`);
    return Number(value);
  };
  const pin = parameters.get('pin') ?? undefined;
  if (pin !== undefined && !isPinShaped(pin))
    throw bad(`pin must be a 12-digit personal identification number; got ${JSON.stringify(pin)}`);
  const subject = parameters.get('subject') ?? undefined;
  const from = date('from');
  const to = date('to');
  const after = integer('after', undefined, 0, Number.MAX_SAFE_INTEGER);
  return {
    ...(pin !== undefined ? { pin } : {}),
    ...(subject !== undefined ? { subject } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(after !== undefined ? { after } : {}),
    limit: integer('limit', 100, 1, 1_000)!,
  };
}
