import './styles.css';
import { createApi } from './api';
import { disposeCharts, resizeCharts } from './charts';
import { type Context, type Drawn, setDisclosureMinimum, type Table } from './common';
import { toCsv } from './csv';
import { append, h } from './dom';
import { type Translator, translator } from './i18n';
import { isAnswerable, partsOf, periodText, type PeriodKind, years } from './periods';
import { catalogueQuery, type Indicator, type Task } from './queries';
import { readState, type State, stateUrl, type View } from './state';
import { drawCommunes } from './views/communes';
import { drawProvinces } from './views/provinces';
import { drawScorecard } from './views/scorecard';
import { drawTrend } from './views/trend';

const endpoint = document.querySelector<HTMLMetaElement>('meta[name="graphql-endpoint"]')?.content || '/graphql';
const api = createApi(endpoint);
const draws: Record<View, (context: Context, root: HTMLElement) => Promise<Drawn>> = {
  scorecard: drawScorecard,
  provinces: drawProvinces,
  communes: drawCommunes,
  trend: drawTrend,
};

const app = document.getElementById('app')!;
const header = h('header', { class: 'top' });
const status = h('div', { id: 'status', class: 'status-line', role: 'status', 'aria-live': 'polite' });
const viewRoot = h('div', { id: 'view' });
const definitions = h('section', { id: 'definitions', class: 'definitions', 'aria-labelledby': 'definitions-title' });
const main = h('main', { id: 'main', tabindex: '-1' }, status, viewRoot, definitions);
app.replaceChildren(header, main);

let catalogue: Promise<readonly Task[]> | undefined;
let current: AbortController | undefined;
let shown: Table | undefined;
let renderedSearch: string | undefined;

function navigate(href: string, options: { replace?: boolean; focus?: boolean } = {}): void {
  const url = new URL(href, location.href);
  if (options.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void render(options.focus ?? false);
}

/** Links of the dashboard itself change the view without loading the page again (and keep the address shareable). */
document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a[data-navigate]') as HTMLAnchorElement | null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(link.href, { focus: true });
});
// Back and forward; a jump to a definition (#def-...) changes only the hash, and nothing is drawn again.
addEventListener('popstate', () => {
  if (location.search !== renderedSearch) void render(false);
});
let resizing: number | undefined;
addEventListener('resize', () => {
  clearTimeout(resizing);
  resizing = window.setTimeout(resizeCharts, 100);
});

async function render(focusView: boolean): Promise<void> {
  const state = readState(location.search);
  const canonical = stateUrl(state);
  if (canonical !== location.search) history.replaceState(null, '', canonical + location.hash);
  renderedSearch = location.search;
  const tr = translator(state.language);
  current?.abort();
  const controller = new AbortController();
  current = controller;
  document.documentElement.lang = state.language;
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = tr.t('skip');

  let tasks: readonly Task[];
  try {
    catalogue ??= api
      .query<{ disclosureMinimumCount: number; tasks: readonly Task[] }>('DashboardCatalogue', catalogueQuery, {})
      .then(({ data }) => {
        setDisclosureMinimum(data.disclosureMinimumCount);
        return data.tasks;
      });
    tasks = await catalogue;
  } catch (error) {
    catalogue = undefined;
    drawHeader(tr, state, []);
    failed(tr, error);
    return;
  }
  if (controller.signal.aborted) return;
  const indicators = tasks.flatMap((task) => task.indicators);
  const indicator = indicators.find((candidate) => candidate.id === state.indicator) ?? indicators[0];
  // An indicator the catalogue does not have (a link from an older catalogue): the address says which one is shown.
  if (state.indicator && indicator && indicator.id !== state.indicator) {
    history.replaceState(null, '', stateUrl({ ...state, indicator: indicator.id }) + location.hash);
    renderedSearch = location.search;
  }
  drawHeader(tr, state, indicators);
  disposeCharts();
  viewRoot.replaceChildren();
  definitions.replaceChildren();
  shown = undefined;
  setCsvEnabled(false);
  status.className = 'status-line';
  status.textContent = tr.t('loading');
  main.setAttribute('aria-busy', 'true');
  document.title = `${tr.t(state.view)}: ${tr.period(state.period)} | ${tr.t('title')}`;
  if (!indicator) {
    failed(tr, new Error('The catalogue lists no indicator'));
    return;
  }
  const context: Context = {
    api,
    state,
    tr,
    tasks,
    indicators,
    indicator,
    signal: controller.signal,
    href: (change) => stateUrl({ ...state, ...change }),
    navigate: (href) => navigate(href, { focus: true }),
  };
  const root = h('div', { class: `view view-${state.view}`, 'data-view': state.view, 'data-period': state.period.text });
  viewRoot.replaceChildren(root);
  try {
    const drawn = await draws[state.view](context, root);
    if (controller.signal.aborted) return;
    shown = drawn.table;
    setCsvEnabled(drawn.table.rows.length > 0);
    drawDefinitions(tr, tasks, drawn.indicators);
    status.textContent = drawn.warnings.length
      ? tr.t('partial', { message: drawn.warnings.join('; ') })
      : tr.t('loaded', { period: tr.period(state.period) });
    root.setAttribute('data-ready', 'true');
    // The first view with its figures on screen: what npm run docs:screenshots reports as the time to a meaningful paint.
    if (performance.getEntriesByName('dashboard:drawn').length === 0) performance.mark('dashboard:drawn');
    main.removeAttribute('aria-busy');
    // After a link or a tile changed the view, the keyboard goes on from its heading.
    const heading = root.querySelector<HTMLElement>('h2');
    if (focusView && heading) {
      heading.tabIndex = -1;
      heading.focus();
    }
  } catch (error) {
    if (controller.signal.aborted) return;
    failed(tr, error);
  }
}

function failed(tr: Translator, error: unknown): void {
  main.removeAttribute('aria-busy');
  status.className = 'status-line status-error';
  status.textContent = tr.t('failed', { message: error instanceof Error ? error.message : String(error) });
  const view = viewRoot.querySelector('.view') ?? viewRoot.appendChild(h('div', { class: 'view' }));
  view.setAttribute('data-ready', 'error');
}

function setCsvEnabled(enabled: boolean): void {
  const button = document.getElementById('download-csv') as HTMLButtonElement | null;
  if (button) button.disabled = !enabled;
}

/** The header: title, language, the period picker, the pages, the indicator and the CSV download. Drawn anew; focus stays where it was. */
function drawHeader(tr: Translator, state: State, indicators: readonly Indicator[]): void {
  const focused = document.activeElement?.id;
  const go = (change: Partial<State>) => navigate(stateUrl({ ...state, ...change }));

  const kinds: Array<[PeriodKind, string]> = [
    ['YEAR', tr.t('yearKind')],
    ['QUARTER', tr.t('quarterKind')],
    ['MONTH', tr.t('monthKind')],
  ];
  const option = (value: string, label: string, selected: boolean) => h('option', { value, selected }, label);
  const choosePeriod = (kind: PeriodKind, year: number, part?: number) => {
    const parts = partsOf(kind, year);
    const chosen = kind === 'YEAR' ? undefined : part !== undefined && parts.includes(part) ? part : parts[parts.length - 1];
    const candidate = periodText(kind, year, chosen);
    const period = { text: candidate, kind, year, ...(chosen === undefined ? {} : { part: chosen }) };
    if (isAnswerable(period)) go({ period });
  };
  const kindSelect = h(
    'select',
    {
      id: 'period-kind',
      onchange: (event) => choosePeriod((event.target as HTMLSelectElement).value as PeriodKind, state.period.year, state.period.part),
    },
    ...kinds.map(([kind, label]) => option(kind, label, kind === state.period.kind)),
  );
  const yearSelect = h(
    'select',
    {
      id: 'period-year',
      onchange: (event) => choosePeriod(state.period.kind, Number((event.target as HTMLSelectElement).value), state.period.part),
    },
    ...years().map((year) => option(String(year), String(year), year === state.period.year)),
  );
  const partSelect =
    state.period.kind === 'YEAR'
      ? undefined
      : h(
          'select',
          {
            id: 'period-part',
            onchange: (event) => choosePeriod(state.period.kind, state.period.year, Number((event.target as HTMLSelectElement).value)),
          },
          ...partsOf(state.period.kind, state.period.year).map((part) =>
            option(
              String(part),
              state.period.kind === 'QUARTER' ? tr.t('quarterName', { part }) : tr.t('monthName', { part }),
              part === state.period.part,
            ),
          ),
        );
  const field = (id: string, label: string, control: HTMLElement) => h('div', { class: 'field' }, h('label', { for: id }, label), control);

  const tabs = (['scorecard', 'provinces', 'communes', 'trend'] as const).map((view) =>
    h(
      'li',
      {},
      h(
        'a',
        { href: stateUrl({ ...state, view }), 'data-navigate': '', 'aria-current': view === state.view ? 'page' : undefined },
        tr.t(view),
      ),
    ),
  );
  const indicatorSelect =
    state.view === 'scorecard'
      ? undefined
      : field(
          'indicator',
          tr.t('indicator'),
          h(
            'select',
            { id: 'indicator', onchange: (event) => go({ indicator: (event.target as HTMLSelectElement).value }) },
            ...indicators.map((indicator) =>
              option(indicator.id, tr.indicatorName(indicator), indicator.id === (state.indicator || indicators[0]?.id)),
            ),
          ),
        );
  header.replaceChildren(
    h(
      'div',
      { class: 'title-row' },
      h('div', {}, h('h1', {}, tr.t('title')), h('p', { class: 'subtitle' }, tr.t('subtitle'))),
      h(
        'button',
        {
          type: 'button',
          id: 'language',
          class: 'language',
          lang: state.language === 'vi' ? 'en' : 'vi',
          'aria-label': tr.t('switchLanguageLabel'),
          onclick: () => go({ language: state.language === 'vi' ? 'en' : 'vi' }),
        },
        tr.t('switchLanguage'),
      ),
    ),
    h('nav', { class: 'tabs', 'aria-label': tr.t('views') }, h('ul', {}, ...tabs)),
    h(
      'div',
      { class: 'toolbar' },
      h(
        'fieldset',
        { class: 'period-picker' },
        h('legend', {}, tr.t('period')),
        field('period-kind', tr.t('periodKind'), kindSelect),
        field('period-year', tr.t('year'), yearSelect),
        partSelect && field('period-part', state.period.kind === 'QUARTER' ? tr.t('quarter') : tr.t('month'), partSelect),
      ),
      indicatorSelect,
      h(
        'button',
        {
          type: 'button',
          id: 'download-csv',
          class: 'download',
          'aria-label': tr.t('downloadCsvLabel'),
          disabled: true,
          onclick: downloadCsv,
        },
        tr.t('downloadCsv'),
      ),
    ),
  );
  if (focused) document.getElementById(focused)?.focus();
}

function drawDefinitions(tr: Translator, tasks: readonly Task[], indicators: readonly Indicator[]): void {
  if (indicators.length === 0) return;
  const taskOf = (indicator: Indicator) => tasks.find((task) => task.indicators.some((candidate) => candidate.id === indicator.id));
  const english = tr.language === 'vi' ? 'en' : undefined;
  append(
    definitions,
    h('h2', { id: 'definitions-title' }, tr.t('definitions')),
    h('p', { class: 'note' }, tr.t('definitionsNote')),
    ...indicators.map((indicator) => {
      const task = taskOf(indicator);
      return h(
        'section',
        { id: `def-${indicator.id}`, class: 'definition-card', tabindex: '-1', 'aria-labelledby': `def-${indicator.id}-title` },
        h('h3', { id: `def-${indicator.id}-title` }, tr.indicatorName(indicator)),
        h(
          'dl',
          {},
          h('dt', {}, tr.t('task')),
          h('dd', {}, task ? `${task.number}. ${tr.taskName(task)}` : '?'),
          h('dt', {}, tr.t('numerator')),
          h('dd', { lang: english }, indicator.numerator),
          h('dt', {}, tr.t('denominator')),
          h('dd', { lang: english }, indicator.denominator),
          h('dt', {}, tr.t('unit')),
          h('dd', {}, tr.t(`unit${indicator.unit}`)),
          h('dt', {}, tr.t('direction')),
          h('dd', {}, tr.direction(indicator.direction)),
          h('dt', {}, tr.t('targets')),
          h(
            'dd',
            {},
            indicator.targets.length === 0
              ? tr.t('noTargets')
              : h(
                  'ul',
                  {},
                  ...indicator.targets.map((target) =>
                    h(
                      'li',
                      {},
                      `${target.fromYear}: ${tr.value(target.value, indicator.unit)} `,
                      h('span', { lang: english }, `(“${target.statement}”, ${target.source})`),
                    ),
                  ),
                ),
          ),
          h('dt', {}, tr.t('sources')),
          h('dd', {}, indicator.sources.join(', ')),
        ),
      );
    }),
  );
}

function downloadCsv(): void {
  if (!shown) return;
  const blob = new Blob([toCsv(shown)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = h('a', { href: url, download: `${shown.name}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

void render(false);
