import type { Api } from './api';
import { h } from './dom';
import type { Translator } from './i18n';
import type { Figure, Indicator, IndicatorUnit, Task } from './queries';
import type { State } from './state';

/** What the dashboard knows before drawing a view. */
export interface Context {
  readonly api: Api;
  readonly state: State;
  readonly tr: Translator;
  readonly tasks: readonly Task[];
  readonly indicators: readonly Indicator[];
  /** The indicator chosen in the address, else the catalogue's first. */
  readonly indicator: Indicator;
  readonly signal: AbortSignal;
  /** The address of another state, for links (`?view=...`). */
  href(change: Partial<State>): string;
  /** Goes to an address of the dashboard (as a click on a link to it). */
  navigate(href: string): void;
}

/** What is on screen, as rows: the CSV download. */
export interface Table {
  readonly name: string;
  readonly headers: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

export interface Drawn {
  readonly table: Table;
  /** The indicators whose definitions the view links to. */
  readonly indicators: readonly Indicator[];
  /** Errors of a partial answer, for the status line. */
  readonly warnings: readonly string[];
}

/**
 * The API's disclosure minimum (`disclosureMinimumCount`, read with the
 * catalogue): a hidden figure reads "hidden (fewer than N)"; until it is
 * known, "hidden".
 */
let disclosureMinimum: number | undefined;

export function setDisclosureMinimum(minimum: number | undefined): void {
  disclosureMinimum = minimum;
}

export type FigureState = 'value' | 'hidden' | 'none';

/** How a figure reads: a value with its unit, hidden (never 0, never blank), or no data. */
export function figureText(tr: Translator, figure: Figure | undefined, unit: IndicatorUnit): { text: string; state: FigureState } {
  if (figure?.suppressed)
    return { text: disclosureMinimum === undefined ? tr.t('hidden') : tr.t('hiddenFewer', { n: disclosureMinimum }), state: 'hidden' };
  if (figure?.value === null || figure?.value === undefined) return { text: tr.t('noValue'), state: 'none' };
  return { text: tr.value(figure.value, unit), state: 'value' };
}

export function statusText(tr: Translator, figure: Figure | undefined): { text: string; state: 'met' | 'not-met' | 'none' | 'hidden' } {
  if (figure?.target === null || figure?.target === undefined) return { text: tr.t('noTarget'), state: 'none' };
  if (figure.suppressed) return { text: figureText(tr, figure, 'PERCENT').text, state: 'hidden' };
  if (figure.meetsTarget === true) return { text: tr.t('met'), state: 'met' };
  if (figure.meetsTarget === false) return { text: tr.t('notMet'), state: 'not-met' };
  return { text: tr.t('noValue'), state: 'none' };
}

/** A table cell with a figure; hidden figures carry their explanation. */
export function figureCell(
  tr: Translator,
  figure: Figure | undefined,
  indicator: Indicator,
  tag: 'td' | 'span' = 'td',
  /** Where the figure leads (its trend), and the id of the element that says so to screen readers. */
  link?: { href: string; describedBy: string },
): HTMLElement {
  const { text, state } = figureText(tr, figure, indicator.unit);
  return h(
    tag,
    {
      class: `figure figure-${state}`,
      'data-indicator': indicator.id,
      'data-state': state,
      'data-value': state === 'value' ? String(figure!.value) : undefined,
      // The counts it divides, on hover; hidden ones say why instead.
      title:
        state === 'hidden'
          ? tr.t('hiddenExplained')
          : state === 'value' && typeof figure?.numerator === 'number' && typeof figure.denominator === 'number'
            ? tr.t('counts', { numerator: tr.count(figure.numerator), denominator: tr.count(figure.denominator) })
            : undefined,
    },
    link ? h('a', { href: link.href, 'data-navigate': '', 'aria-describedby': link.describedBy }, text) : text,
  );
}

export function statusCell(tr: Translator, figure: Figure | undefined): HTMLTableCellElement {
  const { text, state } = statusText(tr, figure);
  return h(
    'td',
    { class: `status status-${state}`, 'data-state': state },
    h('span', { class: 'status-mark', 'aria-hidden': 'true' }),
    text,
  );
}

/** The indicator's name, linking to its definition (numerator, denominator, task) lower on the page. */
export function definitionLink(tr: Translator, indicator: Indicator): HTMLAnchorElement {
  return h(
    'a',
    { href: `#def-${indicator.id}`, class: 'definition-link', title: tr.t('definitionOf', { name: tr.indicatorName(indicator) }) },
    tr.indicatorName(indicator),
  );
}

export const targetText = (tr: Translator, figure: Figure | undefined, indicator: Indicator) =>
  figure?.target === null || figure?.target === undefined ? tr.t('noTarget') : tr.value(figure.target, indicator.unit);

/** A figure's value, or -Infinity for a hidden or missing one: sorts them last. */
export const sortValue = (figure: Figure | undefined) =>
  figure?.suppressed || figure?.value == null ? Number.NEGATIVE_INFINITY : figure.value;

export function chartBox(className: string, height?: number): HTMLDivElement {
  const box = h('div', { class: `chart ${className}` });
  if (height) box.style.height = `${height}px`;
  return box;
}
