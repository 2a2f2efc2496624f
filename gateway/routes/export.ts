import type { ServerResponse } from 'node:http';
import { AppError, badUserInput, ErrorCode } from '../../platform/errors.js';
import { sendError } from '../../platform/http.js';
import { indicators } from '../../platform/indicators/catalog.js';
import { toCsv, toSdmxJson, type ExportedArea } from '../export-formats.js';
import { requestIdOf } from '../request-id.js';
import type { RunOperation } from './graphql.js';
import type { Route } from './index.js';

/**
 * Exports for analysts: `GET /export/area-stats.csv?level=&period=&parentCode=&indicators=`
 * and `GET /export/area-series.csv?unitCode=&from=&to=&indicators=`, and the
 * same tables as SDMX-JSON (`.sdmx.json`). Each is a GraphQL operation run
 * through the same pipeline as /graphql (admission, rate limit, access
 * rules, the response cache, disclosure control in the subgraphs), only
 * written as a table: not a second path to the data.
 */
const tables = {
  'area-stats': {
    parameters: { level: true, period: true, parentCode: false },
    query: (selection: string) =>
      `query ExportAreaStats($level: AreaLevel!, $period: String!, $parentCode: ID) { areaStats(level: $level, period: $period, parentCode: $parentCode) { ${selection} } }`,
    field: 'areaStats',
  },
  'area-series': {
    parameters: { unitCode: true, from: true, to: true },
    query: (selection: string) =>
      `query ExportAreaSeries($unitCode: ID!, $from: String!, $to: String!) { areaSeries(unitCode: $unitCode, from: $from, to: $to) { ${selection} } }`,
    field: 'areaSeries',
  },
} as const;
type Table = keyof typeof tables;
const formats = { csv: 'text/csv; charset=utf-8', 'sdmx.json': 'application/vnd.sdmx.data+json; charset=utf-8; version=2.0.0' } as const;
type Format = keyof typeof formats;

export const exportPaths: ReadonlyArray<readonly [string, Table, Format]> = (Object.keys(tables) as Table[]).flatMap((table) =>
  (Object.keys(formats) as Format[]).map((format) => [`/export/${table}.${format}`, table, format] as const),
);

const catalogue = indicators.map((indicator) => indicator.id);

/** The variables of the table's operation and the indicators asked for, or the first parameter that is wrong. */
function readParameters(table: Table, search: URLSearchParams): { variables: Record<string, string>; chosen: string[] } {
  const expected = tables[table].parameters as Record<string, boolean>;
  for (const name of search.keys())
    if (!(name in expected) && name !== 'indicators')
      throw badUserInput(`${name}: not a parameter of this export; it takes ${[...Object.keys(expected), 'indicators'].join(', ')}`);
  const variables: Record<string, string> = {};
  for (const [name, required] of Object.entries(expected)) {
    const value = search.get(name)?.trim();
    if (value) variables[name] = value;
    else if (required) throw badUserInput(`${name}: required`);
  }
  if (table === 'area-stats' && !['NATION', 'PROVINCE', 'COMMUNE'].includes(variables.level!))
    throw badUserInput(`level: NATION, PROVINCE or COMMUNE, got ${JSON.stringify(variables.level)}`);
  const asked = search.get('indicators');
  const chosen = asked ? asked.split(',').map((id) => id.trim()) : catalogue;
  const unknown = chosen.filter((id) => !catalogue.includes(id));
  if (unknown.length > 0 || chosen.length === 0)
    throw badUserInput(`indicators: ${unknown.join(', ') || 'none given'}; the catalogue has ${catalogue.join(', ')}`);
  return { variables, chosen: [...new Set(chosen)] };
}

export function createExportRoutes(run: RunOperation): Array<[string, Route]> {
  return exportPaths.map(([path, table, format]) => {
    const route: Route = async (request, response) => {
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.setHeader('allow', 'GET');
        return sendError(response, new AppError(ErrorCode.METHOD_NOT_ALLOWED, `Use GET on ${path}`));
      }
      let parameters: ReturnType<typeof readParameters>;
      try {
        parameters = readParameters(table, new URL(request.url ?? '/', 'http://localhost').searchParams);
      } catch (error) {
        return sendError(response, error as AppError);
      }
      const selection = `unitCode period level unit { name } ${parameters.chosen.map((id) => `${id} { value target suppressed }`).join(' ')}`;
      const answered = await run(request, response, {
        method: 'POST',
        url: '/graphql',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: { query: tables[table].query(selection), variables: parameters.variables },
      });
      if (!answered) return;
      const [answer, cacheHeaders] = answered;
      // A cached answer is kept as bytes.
      const text = typeof answer.body === 'string' ? answer.body : answer.body.toString('utf8');
      const result = JSON.parse(text) as {
        data?: Record<string, ExportedArea[] | null> | null;
        errors?: Array<{ extensions?: { code?: string } }>;
      };
      const areas = result.data?.[tables[table].field];
      // A table with gaps is not a table: any error is answered with the GraphQL answer's errors, never as a partial file;
      // 400 when the parameters were wrong (a period the API refuses), 502 when a part of the system failed.
      if (result.errors?.length || !areas) {
        const refused = result.errors?.every((error) => error.extensions?.code === ErrorCode.BAD_USER_INPUT);
        return writeJson(response, answer.status >= 400 ? answer.status : refused ? 400 : 502, text);
      }
      const body =
        format === 'csv'
          ? toCsv(areas, parameters.chosen)
          : JSON.stringify(toSdmxJson(areas, parameters.chosen, new Date(), requestIdOf(request)));
      const cacheControl = answer.headers.find(([name]) => name.toLowerCase() === 'cache-control');
      const name = `${table}-${Object.values(parameters.variables).join('-')}.${format}`.replace(/[^A-Za-z0-9._-]/g, '_');
      response.writeHead(200, {
        'content-type': formats[format],
        'content-disposition': `attachment; filename="${name}"`,
        ...(cacheControl ? { 'cache-control': cacheControl[1] } : {}),
        ...Object.fromEntries(cacheHeaders),
      });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    return [path, route];
  });
}

function writeJson(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(body);
}
