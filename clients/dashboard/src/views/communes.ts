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
import { type AreaFigures, communesQuery, figureOf, parentQuery } from '../queries';

/** A province's communes for one indicator: a sorted bar chart with the target line and the table, hidden ones said so. */
export async function drawCommunes(context: Context, root: HTMLElement): Promise<Drawn> {
  const { api, state, tr, indicator } = context;
  if (state.area === 'VN') {
    append(
      root,
      h(
        'p',
        { class: 'note' },
        tr.t('selectProvince'),
        ' ',
        h('a', { href: context.href({ view: 'provinces' }), 'data-navigate': '' }, tr.t('provinces')),
      ),
    );
    return { table: { name: 'communes', headers: [], rows: [] }, indicators: [indicator], warnings: [] };
  }
  // A commune in the address: its province's communes.
  const province =
    state.area.length === 5
      ? ((
          await api.query<{ administrativeUnit: { parent: { code: string } | null } | null }>(
            'DashboardParent',
            parentQuery,
            { code: state.area },
            context.signal,
          )
        ).data.administrativeUnit?.parent?.code ?? state.area)
      : state.area;
  const { data, errors } = await api.query<{ province: readonly AreaFigures[]; areaStats: readonly AreaFigures[] }>(
    'DashboardCommunes',
    communesQuery(indicator.id),
    { period: state.period.text, province },
    context.signal,
  );
  const parent = data.province[0];
  const provinceName = tr.unitName(parent?.unit, province);
  const communes = [...data.areaStats].sort((a, b) => sortValue(figureOf(b, indicator.id)) - sortValue(figureOf(a, indicator.id)));
  const nameOf = (area: AreaFigures) => tr.unitName(area.unit, area.unitCode);
  const period = tr.period(state.period);
  const shown = communes.filter((area) => figureText(tr, figureOf(area, indicator.id), indicator.unit).state === 'value');
  const hiddenCount = communes.filter((area) => figureOf(area, indicator.id)?.suppressed).length;
  const title = tr.t('communesTitle', { indicator: tr.indicatorName(indicator), name: provinceName, period });
  const parentFigure = parent ? figureOf(parent, indicator.id) : undefined;
  const target = parentFigure?.target ?? undefined;

  append(
    root,
    h(
      'nav',
      { class: 'breadcrumb', 'aria-label': tr.t('breadcrumb') },
      h(
        'ol',
        {},
        h('li', {}, h('a', { href: context.href({ view: 'provinces', area: 'VN' }), 'data-navigate': '' }, tr.t('nation'))),
        h('li', {}, h('span', { 'aria-current': 'page' }, provinceName)),
      ),
    ),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'communes-title' },
      h('h2', { id: 'communes-title' }, title, ' ', h('span', { class: 'definition' }, '(', definitionLink(tr, indicator), ')')),
      h(
        'p',
        { class: 'summary' },
        `${provinceName}: `,
        figureCell(tr, parentFigure, indicator, 'span'),
        `. ${tr.t('communeCount', { count: communes.length, hidden: hiddenCount })} `,
        h('a', { href: context.href({ view: 'trend', area: province }), 'data-navigate': '' }, tr.t('showTrend', { name: provinceName })),
      ),
      shown.length > 0 && chartBox('bars', shown.length * 18 + 60),
    ),
  );

  const rows: string[][] = [];
  const body = h('tbody');
  communes.forEach((area, index) => {
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
            {
              href: context.href({ view: 'trend', area: area.unitCode }),
              'data-navigate': '',
              'aria-label': tr.t('showTrend', { name: nameOf(area) }),
            },
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
      { class: 'panel', 'aria-labelledby': 'commune-table-title' },
      h('h2', { id: 'commune-table-title' }, `${tr.t('table')}: ${tr.t('communesOf', { name: provinceName })}`),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'communes' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col', class: 'numeric' }, tr.t('rank')),
              h('th', { scope: 'col' }, tr.t('commune')),
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

  const box = root.querySelector<HTMLElement>('.chart.bars');
  if (box) {
    const chart = drawChart(
      box,
      {
        grid: { left: 8, right: 48, top: 28, bottom: 8, containLabel: true },
        tooltip: { trigger: 'item', renderMode: 'richText' },
        xAxis: {
          type: 'value',
          axisLabel: { formatter: (value: number) => tr.number(value) },
          max: (extent: { max: number }) => Math.max(extent.max, target ?? 0),
        },
        yAxis: { type: 'category', inverse: true, data: shown.map(nameOf), axisTick: { show: false }, axisLabel: { fontSize: 11 } },
        series: [
          {
            type: 'bar',
            name: tr.indicatorName(indicator),
            data: shown.map((area) => figureOf(area, indicator.id)!.value!),
            itemStyle: { color: colors.value },
            label: { show: true, position: 'right', fontSize: 10, formatter: ({ value }: { value: unknown }) => tr.number(Number(value)) },
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
      })} ${tr.t('communeCount', { count: communes.length, hidden: hiddenCount })}`,
    );
    chart.on('click', (event) => {
      const area = shown[event.dataIndex];
      if (area) context.navigate(context.href({ view: 'trend', area: area.unitCode }));
    });
  }

  return {
    table: {
      name: `communes-${province}-${indicator.id}-${state.period.text}`,
      headers: [tr.t('area'), tr.t('commune'), `${tr.indicatorName(indicator)} ${state.period.text}`, tr.t('target'), tr.t('status')],
      rows,
    },
    indicators: [indicator],
    warnings: errors.map((error) => error.message),
  };
}
