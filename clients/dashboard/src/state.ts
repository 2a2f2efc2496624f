import { defaultPeriod, isAnswerable, parsePeriod, type Period } from './periods';
import type { Language } from './i18n';

/**
 * What the page shows, all of it in the address (query string), so that a
 * copied URL opens the same view: ?view=provinces&period=2025-Q4&indicator=ehrCoverage&area=01&lang=en
 */
export type View = 'scorecard' | 'provinces' | 'communes' | 'trend';
export const views: readonly View[] = ['scorecard', 'provinces', 'communes', 'trend'];

export interface State {
  readonly view: View;
  readonly period: Period;
  /** An indicator id; empty: the catalogue's first. */
  readonly indicator: string;
  /** VN, a 2-digit province or a 5-digit commune code. */
  readonly area: string;
  readonly language: Language;
}

const areaPattern = /^(VN|\d{2}|\d{5})$/;
const indicatorPattern = /^[_A-Za-z][_0-9A-Za-z]*$/;

export function readState(search: string): State {
  const params = new URLSearchParams(search);
  const view = params.get('view');
  const period = parsePeriod(params.get('period'));
  const indicator = params.get('indicator') ?? '';
  const area = params.get('area') ?? '';
  return {
    view: views.includes(view as View) ? (view as View) : 'scorecard',
    period: period && isAnswerable(period) ? period : defaultPeriod(),
    indicator: indicatorPattern.test(indicator) ? indicator : '',
    area: areaPattern.test(area) ? area : 'VN',
    language: params.get('lang') === 'en' ? 'en' : 'vi',
  };
}

/** The address of a state; Vietnamese, the default, is left out. */
export function stateUrl(state: State): string {
  const params = new URLSearchParams({ view: state.view, period: state.period.text });
  if (state.indicator) params.set('indicator', state.indicator);
  if (state.area !== 'VN') params.set('area', state.area);
  if (state.language !== 'vi') params.set('lang', state.language);
  return `?${params}`;
}
