import { colors, drawChart } from '../charts';
import {
  chartBox,
  type Context,
  definitionLink,
  type Drawn,
  figureCell,
  figureText,
  sortValue,
  statusCell,
  statusText,
  targetText,
} from '../common';
import { append, h } from '../dom';
import type { Translator } from '../i18n';
import { type AreaFigures, type Figure, figureOf, type Indicator, provincesQuery } from '../queries';
import { tileColumns, tiles } from '../tiles';

/** Light to mid blue, dark text on each (contrast above 4.5:1): a higher value is darker. */
const shades = ['#eef5fb', '#d3e5f5', '#b3d2ed', '#8fbde4', '#6aa6d9'] as const;

/**
 * The 34 provinces for one indicator: a bar chart sorted by value with the
 * target line, a tile map, and the table both are drawn from. A province
 * leads to its communes.
 */
export async function drawProvinces(context: Context, root: HTMLElement): Promise<Drawn> {
  const { api, state, tr, indicator } = context;
  const { data, errors } = await api.query<{ areaStats: readonly AreaFigures[] }>(
    'DashboardProvinces',
    provincesQuery(indicator.id),
    { period: state.period.text },
    context.signal,
  );
  const provinces = [...data.areaStats].sort((a, b) => sortValue(figureOf(b, indicator.id)) - sortValue(figureOf(a, indicator.id)));
  const nameOf = (area: AreaFigures) => tr.unitName(area.unit, area.unitCode);
  const communesHref = (code: string) => context.href({ view: 'communes', area: code });
  const target = provinces.map((area) => figureOf(area, indicator.id)?.target).find((value) => value !== null && value !== undefined);
  const period = tr.period(state.period);

  // The bar chart, highest first; hidden provinces are listed below it, never drawn as 0.
  const barTitle = tr.t('barChartTitle', { indicator: tr.indicatorName(indicator), period });
  const shown = provinces.filter((area) => figureText(tr, figureOf(area, indicator.id), indicator.unit).state === 'value');
  const hidden = provinces.filter((area) => figureText(tr, figureOf(area, indicator.id), indicator.unit).state !== 'value');
  const bars = chartBox('bars', Math.max(240, shown.length * 22 + 60));
  append(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'bars-title' },
      h('h2', { id: 'bars-title' }, barTitle, ' ', h('span', { class: 'definition' }, '(', definitionLink(tr, indicator), ')')),
      bars,
      hidden.length > 0 &&
        h(
          'p',
          { class: 'hidden-list' },
          tr.t('notDrawn', {
            names: hidden
              .map((area) => `${nameOf(area)} (${figureText(tr, figureOf(area, indicator.id), indicator.unit).text})`)
              .join(', '),
          }),
        ),
    ),
  );

  // The tile map.
  const tileMap = drawTileMap(tr, indicator, provinces, communesHref);
  append(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'tiles-title' },
      h('h2', { id: 'tiles-title' }, tr.t('tileMapTitle')),
      h('p', { class: 'note', id: 'tiles-note' }, tr.t('tileMapNote')),
      tileMap,
    ),
  );

  // The table, with a link to each province's communes.
  const rows: string[][] = [];
  const body = h('tbody');
  provinces.forEach((area, index) => {
    const figure = figureOf(area, indicator.id);
    body.append(
      h(
        'tr',
        { 'data-unit': area.unitCode },
        h('td', { class: 'numeric' }, String(index + 1)),
        h(
          'th',
          { scope: 'row' },
          h(
            'a',
            { href: communesHref(area.unitCode), 'data-navigate': '', 'aria-label': tr.t('showCommunes', { name: nameOf(area) }) },
            nameOf(area),
          ),
        ),
        figureCell(tr, figure, indicator),
        h('td', { class: 'numeric' }, targetText(tr, figure, indicator)),
        statusCell(tr, figure),
      ),
    );
    rows.push([
      area.unitCode,
      nameOf(area),
      figureText(tr, figure, indicator.unit).text,
      targetText(tr, figure, indicator),
      statusText(tr, figure).text,
    ]);
  });
  append(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'province-table-title' },
      h('h2', { id: 'province-table-title' }, `${tr.t('table')}: ${barTitle}`),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'provinces' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col', class: 'numeric' }, tr.t('rank')),
              h('th', { scope: 'col' }, tr.t('province')),
              h('th', { scope: 'col', class: 'numeric' }, tr.t('value')),
              h('th', { scope: 'col', class: 'numeric' }, tr.t('target')),
              h('th', { scope: 'col' }, tr.t('status')),
            ),
          ),
          body,
        ),
      ),
    ),
  );

  const values = shown.map((area) => figureOf(area, indicator.id)!.value!);
  const chart = drawChart(
    bars,
    {
      grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
      tooltip: { trigger: 'item', renderMode: 'richText' },
      xAxis: {
        type: 'value',
        axisLabel: { formatter: (value: number) => tr.number(value) },
        max: (extent: { max: number }) => Math.max(extent.max, target ?? 0),
      },
      yAxis: { type: 'category', inverse: true, data: shown.map(nameOf), axisTick: { show: false } },
      series: [
        {
          type: 'bar',
          name: tr.indicatorName(indicator),
          data: values,
          itemStyle: { color: colors.value },
          label: { show: true, position: 'right', formatter: ({ value }: { value: unknown }) => tr.number(Number(value)) },
          cursor: 'pointer',
          ...(target === undefined
            ? {}
            : {
                markLine: {
                  symbol: 'none',
                  silent: true,
                  lineStyle: { color: colors.target, width: 2, type: 'dashed' },
                  label: { formatter: `${tr.t('target')} ${tr.value(target, indicator.unit)}`, position: 'start', color: colors.target },
                  data: [{ xAxis: target }],
                },
              }),
        },
      ],
    },
    `${tr.t('barChart')}. ${tr.t('barDescription', {
      indicator: tr.indicatorName(indicator),
      period,
      values: shown.map((area) => `${nameOf(area)} ${figureText(tr, figureOf(area, indicator.id), indicator.unit).text}`).join(', '),
    })}${target === undefined ? '' : ` ${tr.t('targetLine', { target: tr.value(target, indicator.unit) })}.`}`,
  );
  chart.on('click', (event) => {
    const area = shown[event.dataIndex];
    if (area) context.navigate(communesHref(area.unitCode));
  });

  return {
    table: {
      name: `provinces-${indicator.id}-${state.period.text}`,
      headers: [tr.t('area'), tr.t('province'), `${tr.indicatorName(indicator)} ${state.period.text}`, tr.t('target'), tr.t('status')],
      rows,
    },
    indicators: [indicator],
    warnings: errors.map((error) => error.message),
  };
}

function drawTileMap(
  tr: Translator,
  indicator: Indicator,
  provinces: readonly AreaFigures[],
  communesHref: (code: string) => string,
): HTMLElement {
  const values = provinces
    .map((area) => figureOf(area, indicator.id))
    .filter((figure): figure is Figure => !figure?.suppressed && figure?.value !== null && figure?.value !== undefined)
    .map((figure) => figure.value!);
  const low = Math.min(...values);
  const high = Math.max(...values);
  const shadeOf = (value: number) =>
    high > low ? Math.min(shades.length - 1, Math.floor(((value - low) / (high - low)) * shades.length)) : shades.length - 1;
  const byCode = new Map(provinces.map((area) => [area.unitCode, area]));
  const placed = new Set(tiles.map((tile) => tile.code));
  // A province the layout does not know yet goes below the map rather than nowhere.
  const extra = provinces.filter((area) => !placed.has(area.unitCode));
  const layout = [
    ...tiles.filter((tile) => byCode.has(tile.code)),
    ...extra.map((area, index) => ({ code: area.unitCode, row: 16 + Math.floor(index / tileColumns), column: index % tileColumns })),
  ];
  const grid = h('div', { class: 'tile-map', role: 'list', 'aria-labelledby': 'tiles-title', 'aria-describedby': 'tiles-note' });
  for (const tile of layout) {
    const area = byCode.get(tile.code)!;
    const figure = figureOf(area, indicator.id);
    const { text, state } = figureText(tr, figure, indicator.unit);
    const status = statusText(tr, figure);
    const name = tr.unitName(area.unit, area.unitCode);
    // The name and value are what the tile shows; the status and what a click does are said to screen readers only.
    const link = h(
      'a',
      {
        href: communesHref(area.unitCode),
        class: `tile tile-${state}${status.state === 'met' ? ' tile-met' : ''}`,
        'data-navigate': '',
        'data-unit': area.unitCode,
        'data-state': state,
      },
      h('span', { class: 'tile-name' }, name),
      ' ',
      h('span', { class: 'tile-value' }, text),
      h(
        'span',
        { class: 'visually-hidden' },
        `${status.state === 'met' || status.state === 'not-met' ? `, ${status.text}` : ''}. ${tr.t('showCommunes', { name })}`,
      ),
    );
    if (state === 'value') link.style.backgroundColor = shades[shadeOf(figure!.value!)]!;
    const item = h('div', { role: 'listitem', class: 'tile-cell' }, link);
    item.style.gridRow = String(tile.row + 1);
    item.style.gridColumn = String(tile.column + 1);
    grid.append(item);
  }
  const legend = h(
    'p',
    { class: 'legend' },
    h('span', { class: 'legend-title' }, `${tr.t('legend')}: `),
    ...shades.map((shade, index) => {
      const swatch = h('span', { class: 'swatch', 'aria-hidden': 'true' });
      swatch.style.backgroundColor = shade;
      const from = low + ((high - low) * index) / shades.length;
      return h('span', { class: 'legend-item' }, swatch, values.length ? `≥ ${tr.value(from, indicator.unit)}` : '');
    }),
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch swatch-hidden', 'aria-hidden': 'true' }), tr.t('hidden')),
    h('span', { class: 'legend-item' }, h('span', { class: 'swatch swatch-met', 'aria-hidden': 'true' }), tr.t('met')),
  );
  return h('div', { class: 'tile-wrap' }, grid, legend);
}
