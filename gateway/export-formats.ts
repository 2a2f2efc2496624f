/**
 * The tables analysts download, made from a GraphQL answer of areaStats or
 * areaSeries: CSV for spreadsheets, and an SDMX-JSON data message, the
 * exchange format statistical offices read. A suppressed figure is an empty
 * cell flagged as suppressed (CSV) or an observation without a value whose
 * OBS_STATUS is `C` (SDMX), never a 0.
 */
export interface ExportedFigure {
  readonly value: number | null;
  readonly target: number | null;
  readonly suppressed: boolean;
}

export interface ExportedArea {
  readonly unitCode: string;
  readonly period: string;
  readonly level: string;
  readonly unit: { readonly name: string } | null;
  readonly [indicator: string]: unknown;
}

const cell = (value: unknown): string => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** UTF-8 with a byte-order mark, so spreadsheet programs show the diacritics; one row per area and period. */
export function toCsv(areas: readonly ExportedArea[], indicators: readonly string[]): string {
  const header = ['unit_code', 'unit_name', 'level', 'period', ...indicators.flatMap((id) => [id, `${id}_target`, `${id}_suppressed`])];
  const rows = areas.map((area) => [
    area.unitCode,
    area.unit?.name ?? (area.unitCode === 'VN' ? 'Việt Nam' : ''),
    area.level,
    area.period,
    ...indicators.flatMap((id) => {
      const figure = area[id] as ExportedFigure;
      return [figure.value, figure.target, figure.suppressed];
    }),
  ]);
  return `\uFEFF${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/**
 * An SDMX-JSON 2.0 data message: one observation per area, period and
 * indicator (dimensions REF_AREA, TIME_PERIOD, INDICATOR), its value, and the
 * attributes OBS_STATUS (`A` normal, `C` confidential: suppressed by
 * disclosure control) and the year's target (OBS_TARGET).
 */
export function toSdmxJson(areas: readonly ExportedArea[], indicators: readonly string[], prepared: Date, requestId: string): object {
  const areaCodes = [...new Set(areas.map((area) => area.unitCode))];
  const periods = [...new Set(areas.map((area) => area.period))];
  const targets: Array<number | null> = [];
  const targetIndex = (target: number | null) => {
    let index = targets.indexOf(target);
    if (index < 0) index = targets.push(target) - 1;
    return index;
  };
  const observations: Record<string, [number | null, number, number]> = {};
  for (const area of areas)
    indicators.forEach((id, indicator) => {
      const figure = area[id] as ExportedFigure;
      observations[`${areaCodes.indexOf(area.unitCode)}:${periods.indexOf(area.period)}:${indicator}`] = [
        figure.suppressed ? null : figure.value,
        figure.suppressed ? 1 : 0,
        targetIndex(figure.target),
      ];
    });
  const names = new Map(areas.map((area) => [area.unitCode, area.unit?.name ?? (area.unitCode === 'VN' ? 'Việt Nam' : area.unitCode)]));
  return {
    meta: {
      schema: 'https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/data-message/tools/schemas/2.0.0/sdmx-json-data-schema.json',
      id: requestId,
      prepared: prepared.toISOString(),
      test: false,
      contentLanguages: ['vi', 'en'],
      sender: { id: 'VN-NDG', name: 'Vietnam national data gateway' },
    },
    data: {
      structures: [
        {
          dimensions: {
            observation: [
              { id: 'REF_AREA', name: 'Administrative unit', values: areaCodes.map((code) => ({ id: code, name: names.get(code) })) },
              { id: 'TIME_PERIOD', name: 'Period', values: periods.map((period) => ({ id: period })) },
              { id: 'INDICATOR', name: 'Indicator (Decision 27/QĐ-UBQGCĐS)', values: indicators.map((id) => ({ id })) },
            ],
          },
          attributes: {
            observation: [
              {
                id: 'OBS_STATUS',
                name: 'Observation status',
                values: [
                  { id: 'A', name: 'Normal value' },
                  { id: 'C', name: 'Confidential: suppressed by disclosure control' },
                ],
              },
              {
                id: 'OBS_TARGET',
                name: 'Target of the year',
                values: targets.map((target) => ({ id: target === null ? 'NONE' : String(target) })),
              },
            ],
          },
          measures: { observation: [{ id: 'OBS_VALUE', name: 'Value' }] },
        },
      ],
      dataSets: [{ structure: 0, action: 'Information', observations }],
    },
  };
}
