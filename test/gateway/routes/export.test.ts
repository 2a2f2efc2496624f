import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indicators } from '../../../platform/indicators/catalog.js';
import { startTestSystem, type TestSystem } from '../../support/system.js';

type Figure = { value: number | null; target: number | null; suppressed: boolean };
type Area = { unitCode: string; period: string; level: string; unit: { name: string } | null } & Record<string, Figure>;

const ids = indicators.map((indicator) => indicator.id);
const figures = ids.map((id) => `${id} { value target suppressed }`).join(' ');

/** Parses our CSV (RFC 4180 quoting), after its byte-order mark (which fetch's text() would silently drop). */
async function csvOf(response: Response): Promise<string[][]> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return parseCsv(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes));
}

function parseCsv(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const body = text.slice(1);
  for (let index = 0; index < body.length; index++) {
    const char = body[index]!;
    if (quoted) {
      if (char === '"' && body[index + 1] === '"') (field += '"'), index++;
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') row.push(field), (field = '');
    else if (char === '\r') continue;
    else if (char === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else field += char;
  }
  return rows;
}

/** What the table must say of a figure, from the GraphQL answer. */
const asCells = (figure: Figure) => [
  figure.value === null ? '' : String(figure.value),
  figure.target === null ? '' : String(figure.target),
  String(figure.suppressed),
];

describe('exports for analysts: the GraphQL answer as CSV and SDMX-JSON', () => {
  let test: TestSystem;
  let provinceWithHidden: string;
  beforeAll(async () => {
    test = await startTestSystem();
    // A province where disclosure control hides some commune's figure: the export must show it hidden, not as 0.
    const communes = await test.queryAs<{ areaStats: Area[] }>(
      {},
      `{ areaStats(level: COMMUNE, period: "2025") { unitCode unit { parent { code } } eIdAdoption { suppressed } } }`,
    );
    const hidden = communes.data!.areaStats.find((area) => area.eIdAdoption!.suppressed) as unknown as {
      unit: { parent: { code: string } };
    };
    provinceWithHidden = hidden.unit.parent.code;
  });
  afterAll(() => test?.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(new URL(path, test.system.gateway.url), { headers });

  it.each([
    [
      'the provinces',
      'area-stats',
      'level=PROVINCE&period=2025',
      `{ areaStats(level: PROVINCE, period: "2025") { unitCode period level unit { name } ${figures} } }`,
    ],
    [
      'the communes of a province',
      'area-stats',
      'level=COMMUNE&period=2025-Q4&parentCode=PARENT',
      `{ areaStats(level: COMMUNE, period: "2025-Q4", parentCode: "PARENT") { unitCode period level unit { name } ${figures} } }`,
    ],
    [
      'a series',
      'area-series',
      'unitCode=VN&from=2024-Q1&to=2025-Q4',
      `{ areaSeries(unitCode: "VN", from: "2024-Q1", to: "2025-Q4") { unitCode period level unit { name } ${figures} } }`,
    ],
  ])('gives %s as CSV, cell for cell as the GraphQL answer, suppressed cells included', async (_case, table, parameters, query) => {
    const response = await get(`/export/${table}.csv?${parameters.replace('PARENT', provinceWithHidden)}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="[A-Za-z0-9._-]+\.csv"$/);
    const [header, ...rows] = await csvOf(response);
    expect(header).toEqual(['unit_code', 'unit_name', 'level', 'period', ...ids.flatMap((id) => [id, `${id}_target`, `${id}_suppressed`])]);
    const answer = await test.queryAs<Record<string, Area[]>>({}, query.replace('PARENT', provinceWithHidden));
    const areas = Object.values(answer.data!)[0]!;
    expect(rows).toEqual(
      areas.map((area) => [
        area.unitCode,
        area.unit?.name ?? 'Việt Nam',
        area.level,
        area.period,
        ...ids.flatMap((id) => asCells(area[id]!)),
      ]),
    );
    if (table === 'area-stats' && parameters.includes('COMMUNE'))
      expect(
        rows.some((row) => row[header!.indexOf('eIdAdoption_suppressed')] === 'true' && row[header!.indexOf('eIdAdoption')] === ''),
      ).toBe(true);
  });

  it('gives the same table as an SDMX-JSON data message, suppressed observations marked OBS_STATUS C without a value', async () => {
    const response = await get(
      `/export/area-stats.sdmx.json?level=COMMUNE&period=2025&parentCode=${provinceWithHidden}&indicators=eIdAdoption,ehrCoverage`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/vnd\.sdmx\.data\+json/);
    const message = (await response.json()) as {
      data: {
        structures: Array<{
          dimensions: { observation: Array<{ id: string; values: Array<{ id: string }> }> };
          attributes: { observation: Array<{ id: string; values: Array<{ id: string }> }> };
        }>;
        dataSets: Array<{ observations: Record<string, [number | null, number, number]> }>;
      };
    };
    const [structure] = message.data.structures;
    const [areasDimension, periods, indicatorDimension] = structure!.dimensions.observation;
    expect([areasDimension!.id, periods!.id, indicatorDimension!.id]).toEqual(['REF_AREA', 'TIME_PERIOD', 'INDICATOR']);
    expect(indicatorDimension!.values.map((value) => value.id)).toEqual(['eIdAdoption', 'ehrCoverage']);
    const answer = await test.queryAs<{ areaStats: Area[] }>(
      {},
      `{ areaStats(level: COMMUNE, period: "2025", parentCode: "${provinceWithHidden}") { unitCode eIdAdoption { value suppressed } ehrCoverage { value suppressed } } }`,
    );
    const status = structure!.attributes.observation.find((attribute) => attribute.id === 'OBS_STATUS')!.values.map((value) => value.id);
    const observations = message.data.dataSets[0]!.observations;
    expect(Object.keys(observations)).toHaveLength(answer.data!.areaStats.length * 2);
    answer.data!.areaStats.forEach((area, index) =>
      ['eIdAdoption', 'ehrCoverage'].forEach((id, indicator) => {
        const [value, statusIndex] = observations[`${index}:0:${indicator}`]!;
        expect(areasDimension!.values[index]!.id).toBe(area.unitCode);
        expect(status[statusIndex]).toBe(area[id]!.suppressed ? 'C' : 'A');
        expect(value).toBe(area[id]!.suppressed ? null : area[id]!.value);
      }),
    );
  });

  it.each([
    ['/export/area-stats.csv?period=2025', 400, 'level: required'],
    ['/export/area-stats.csv?level=REGION&period=2025', 400, 'level: NATION, PROVINCE or COMMUNE'],
    ['/export/area-stats.csv?level=PROVINCE&period=2025&indicators=eIdAdoption,nope', 400, 'indicators: nope'],
    ['/export/area-stats.csv?level=PROVINCE&period=2025&colour=red', 400, 'colour: not a parameter of this export'],
    ['/export/area-series.csv?unitCode=VN&from=2025&to=2025-Q4', 400, 'from and to must be periods of one kind'],
    ['/export/area-stats.csv?level=PROVINCE&period=2099', 400, 'has not begun yet'],
  ])('refuses %s with a clear error, as the GraphQL answer would', async (path, status, message) => {
    const response = await get(path);
    expect(response.status).toBe(status);
    const answer = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(answer.errors[0]!.message).toContain(message);
    expect(answer.errors[0]!.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('admits the caller as /graphql does: a token that does not verify is refused', async () => {
    const response = await get('/export/area-stats.csv?level=PROVINCE&period=2025', { authorization: 'Bearer not-a-token' });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it('takes GET only', async () => {
    const response = await fetch(new URL('/export/area-stats.csv?level=PROVINCE&period=2025', test.system.gateway.url), { method: 'POST' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET');
  });
});
