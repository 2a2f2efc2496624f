import { colors, drawChart } from '../charts';
import { chartBox, type Context, definitionLink, type Drawn, figureCell, figureText, statusCell, statusText, targetText } from '../common';
import { append, h } from '../dom';
import { parsePeriod, trendRange } from '../periods';
import { type AreaFigures, figureOf, trendQuery } from '../queries';

/** One area (the nation, a province or a commune) over time for one indicator, with the target in force each year. */
export async function drawTrend(context: Context, root: HTMLElement): Promise<Drawn> {
  const { api, state, tr, indicator } = context;
  const range = trendRange(state.period);
  const { data, errors } = await api.query<{ areaSeries: readonly AreaFigures[] }>(
    'DashboardTrend',
    trendQuery(indicator.id),
    { unit: state.area, ...range },
    context.signal,
  );
  const series = data.areaSeries;
  const unit = series[0]?.unit;
  const name = tr.unitName(unit, state.area);
  const periodName = (text: string) => tr.period(parsePeriod(text)!);
  const title = tr.t('trendTitle', {
    indicator: tr.indicatorName(indicator),
    name,
    from: periodName(range.from),
    to: periodName(range.to),
  });
  const parent = unit?.parent;

  const crumbs = [
    h(
      'li',
      {},
      state.area === 'VN'
        ? h('span', { 'aria-current': 'page' }, tr.t('nation'))
        : h('a', { href: context.href({ area: 'VN' }), 'data-navigate': '' }, tr.t('nation')),
    ),
  ];
  if (parent)
    crumbs.push(h('li', {}, h('a', { href: context.href({ area: parent.code }), 'data-navigate': '' }, tr.unitName(parent, parent.code))));
  if (state.area !== 'VN') crumbs.push(h('li', {}, h('span', { 'aria-current': 'page' }, name)));
  const communesOf = state.area.length === 2 ? state.area : parent?.code;

  const box = chartBox('trend-chart', 320);
  append(
    root,
    h('nav', { class: 'breadcrumb', 'aria-label': tr.t('breadcrumb') }, h('ol', {}, ...crumbs)),
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'trend-title' },
      h('h2', { id: 'trend-title' }, title, ' ', h('span', { class: 'definition' }, '(', definitionLink(tr, indicator), ')')),
      communesOf &&
        h(
          'p',
          {},
          h(
            'a',
            { href: context.href({ view: 'communes', area: communesOf }), 'data-navigate': '' },
            tr.t('communesOf', { name: parent ? tr.unitName(parent, parent.code) : name }),
          ),
        ),
      box,
    ),
  );

  const rows: string[][] = [];
  const body = h('tbody');
  for (const area of series) {
    const figure = figureOf(area, indicator.id);
    body.append(
      h(
        'tr',
        { 'data-period': area.period },
        h('th', { scope: 'row' }, periodName(area.period)),
        figureCell(tr, figure, indicator),
        h('td', { class: 'numeric' }, targetText(tr, figure, indicator)),
        statusCell(tr, figure),
      ),
    );
    rows.push([area.period, figureText(tr, figure, indicator.unit).text, targetText(tr, figure, indicator), statusText(tr, figure).text]);
  }
  append(
    root,
    h(
      'section',
      { class: 'panel', 'aria-labelledby': 'trend-table-title' },
      h('h2', { id: 'trend-table-title' }, `${tr.t('table')}: ${title}`),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'trend' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', { scope: 'col' }, tr.t('period')),
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

  const values = series.map((area) => {
    const figure = figureOf(area, indicator.id);
    return figure?.suppressed ? null : (figure?.value ?? null);
  });
  const targets = series.map((area) => figureOf(area, indicator.id)?.target ?? null);
  // The targets in force over the range, each once, in order (for screen readers).
  const targetChanges = targets.filter((target, index): target is number => target !== null && target !== targets[index - 1]);
  drawChart(
    box,
    {
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      xAxis: { type: 'category', data: series.map((area) => periodName(area.period)), boundaryGap: false },
      yAxis: { type: 'value', axisLabel: { formatter: (value: number) => tr.number(value) }, scale: false },
      series: [
        {
          type: 'line',
          name: tr.indicatorName(indicator),
          data: values,
          connectNulls: false,
          symbolSize: 6,
          lineStyle: { width: 2, color: colors.value },
          itemStyle: { color: colors.value },
        },
        ...(targets.some((target) => target !== null)
          ? [
              {
                type: 'line' as const,
                name: tr.t('target'),
                data: targets,
                step: 'middle' as const,
                symbol: 'none',
                lineStyle: { width: 2, type: 'dashed' as const, color: colors.target },
                itemStyle: { color: colors.target },
              },
            ]
          : []),
      ],
    },
    `${tr.t('trendDescription', {
      indicator: tr.indicatorName(indicator),
      name,
      values: series
        .map((area) => `${periodName(area.period)} ${figureText(tr, figureOf(area, indicator.id), indicator.unit).text}`)
        .join(', '),
    })}${targetChanges.length ? ` ${tr.t('targetLine', { target: targetChanges.map((target) => tr.value(target, indicator.unit)).join(' → ') })}.` : ''}`,
  );

  return {
    table: {
      name: `trend-${state.area}-${indicator.id}-${range.from}-${range.to}`,
      headers: [tr.t('period'), `${tr.indicatorName(indicator)} (${name})`, tr.t('target'), tr.t('status')],
      rows,
    },
    indicators: [indicator],
    warnings: errors.map((error) => error.message),
  };
}
