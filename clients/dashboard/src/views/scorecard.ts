import { chartBox, type Context, definitionLink, type Drawn, figureCell, figureText, statusCell, statusText, targetText } from '../common';
import { colors, drawChart } from '../charts';
import { append, h } from '../dom';
import { lastTwelveMonths, parsePeriod } from '../periods';
import { type AreaFigures, type Figure, figureOf, scorecardQuery } from '../queries';

interface ScorecardData {
  readonly nation: readonly AreaFigures[];
  readonly months: readonly AreaFigures[];
}

/**
 * The 18 tasks: for each indicator of a measured task, the national value in
 * the period, the year's target, met or not, and the last 12 months; a task
 * no connected database measures says so instead of showing a number.
 */
export async function drawScorecard(context: Context, root: HTMLElement): Promise<Drawn> {
  const { api, state, tr, tasks, indicators } = context;
  const months = lastTwelveMonths(state.period);
  const { data, errors } = await api.query<ScorecardData>(
    'DashboardScorecard',
    scorecardQuery(indicators.map((indicator) => indicator.id)),
    { period: state.period.text, ...months },
    context.signal,
  );
  const nation = data.nation[0];
  const series = data.months;
  const monthName = (text: string) => tr.period(parsePeriod(text)!);

  const table = h(
    'table',
    { class: 'scorecard', 'aria-describedby': 'scorecard-caption' },
    h(
      'caption',
      { id: 'scorecard-caption' },
      `${tr.t('scorecard')}: ${tr.t('nationalValue')}, ${tr.period(state.period)}; ${tr.t('targetOfYear', { year: state.period.year })}`,
    ),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, tr.t('indicator')),
        h('th', { scope: 'col', class: 'numeric' }, `${tr.t('nationalValue')} (${tr.period(state.period)})`),
        h('th', { scope: 'col', class: 'numeric' }, tr.t('targetOfYear', { year: state.period.year })),
        h('th', { scope: 'col' }, tr.t('status')),
        h('th', { scope: 'col' }, tr.t('lastMonths')),
      ),
    ),
  );
  const rows: string[][] = [];
  const sparklines: Array<[HTMLElement, () => void]> = [];
  for (const task of tasks) {
    const body = h('tbody', { 'data-task': task.number, 'data-measured': String(task.measured) });
    const taskName = `${tr.t('task')} ${task.number}. ${tr.taskName(task)}`;
    body.append(h('tr', { class: 'task-row' }, h('th', { scope: 'rowgroup', colspan: 5, id: `task-${task.number}` }, taskName)));
    if (!task.measured || task.indicators.length === 0) {
      body.append(
        h(
          'tr',
          { class: 'not-measured' },
          h('td', { colspan: 5, 'data-state': 'not-measured' }, h('span', { class: 'badge' }, tr.t('notConnected'))),
        ),
      );
      rows.push([String(task.number), tr.taskName(task), '', '', tr.t('notConnected'), '', '']);
    }
    for (const indicator of task.measured ? task.indicators : []) {
      const figure = nation ? figureOf(nation, indicator.id) : undefined;
      const box = chartBox('sparkline');
      const points = series.map((area) => [area.period, figureOf(area, indicator.id)] as const);
      const spoken = points.map(([period, point]) => `${monthName(period)} ${figureText(tr, point, indicator.unit).text}`).join('; ');
      body.append(
        h(
          'tr',
          { 'data-indicator': indicator.id },
          h('th', { scope: 'row', class: 'indicator-name' }, definitionLink(tr, indicator)),
          figureCell(tr, figure, indicator, 'td', {
            href: context.href({ view: 'trend', indicator: indicator.id, area: 'VN' }),
            describedBy: 'scorecard-trend-hint',
          }),
          h('td', { class: 'numeric target' }, targetText(tr, figure, indicator)),
          statusCell(tr, figure),
          h('td', { class: 'sparkline-cell' }, box),
        ),
      );
      sparklines.push([
        box,
        () =>
          drawSparkline(
            box,
            points,
            tr.t('sparkline', {
              name: tr.indicatorName(indicator),
              from: monthName(months.from),
              to: monthName(months.to),
              values: spoken,
            }),
          ),
      ]);
      rows.push([
        String(task.number),
        tr.taskName(task),
        indicator.id,
        tr.indicatorName(indicator),
        figureText(tr, figure, indicator.unit).text,
        targetText(tr, figure, indicator),
        statusText(tr, figure).text,
      ]);
    }
    table.append(body);
  }
  append(
    root,
    h('p', { id: 'scorecard-trend-hint', class: 'note' }, tr.t('scorecardTrendHint')),
    h('div', { class: 'table-scroll' }, table),
  );
  for (const [, draw] of sparklines) draw();
  return {
    table: {
      name: `scorecard-${state.period.text}`,
      headers: [
        tr.t('taskNumber'),
        tr.t('taskName'),
        'id',
        tr.t('indicator'),
        `${tr.t('nationalValue')} ${state.period.text}`,
        tr.t('targetOfYear', { year: state.period.year }),
        tr.t('status'),
      ],
      rows,
    },
    indicators,
    warnings: errors.map((error) => error.message),
  };
}

function drawSparkline(box: HTMLElement, points: ReadonlyArray<readonly [string, Figure | undefined]>, label: string): void {
  const values = points.map(([, figure]) => (figure?.suppressed ? null : (figure?.value ?? null)));
  const targets = points.map(([, figure]) => figure?.target ?? null);
  drawChart(
    box,
    {
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: 'category', show: false, data: points.map(([period]) => period), boundaryGap: false },
      yAxis: { type: 'value', show: false, scale: true },
      series: [
        {
          type: 'line',
          data: values,
          // Small dots: a month between hidden ones still shows.
          symbol: 'circle',
          symbolSize: 3,
          itemStyle: { color: colors.value },
          lineStyle: { width: 2, color: colors.value },
          connectNulls: false,
          silent: true,
        },
        ...(targets.some((target) => target !== null)
          ? [
              {
                type: 'line' as const,
                data: targets,
                symbol: 'none',
                step: 'end' as const,
                lineStyle: { width: 1, type: 'dashed' as const, color: colors.target },
                silent: true,
              },
            ]
          : []),
      ],
    },
    label,
  );
}
