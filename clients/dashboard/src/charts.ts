/**
 * Apache ECharts, only the parts the dashboard draws with (tree-shaken from
 * echarts/core): bars, lines, a grid, target lines, tooltips, on canvas.
 * Canvas sets no inline style attribute, so the page runs under a
 * Content-Security-Policy without 'unsafe-inline'. Each chart's container is
 * an image for screen readers, labelled with what it shows; the same figures
 * are in a table beside it.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { init, use, type ComposeOption, type ECharts } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption } from 'echarts/components';

use([BarChart, LineChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | MarkLineComponentOption | TooltipComponentOption
>;

export const colors = { value: '#1f5f99', target: '#b3261e', met: '#1b6e3a', muted: '#5f6b76' } as const;

const live = new Set<ECharts>();

/** Draws a chart into `container` (which must be laid out), labelled for screen readers. */
export function drawChart(container: HTMLElement, option: ChartOption, label: string): ECharts {
  container.setAttribute('role', 'img');
  container.setAttribute('aria-label', label);
  const chart = init(container, undefined, { renderer: 'canvas' });
  chart.setOption({ animation: false, textStyle: { fontFamily: 'system-ui, sans-serif' }, ...option });
  live.add(chart);
  return chart;
}

/** Frees every chart (before a view is drawn anew). */
export function disposeCharts(): void {
  for (const chart of live) chart.dispose();
  live.clear();
}

export function resizeCharts(): void {
  for (const chart of live) chart.resize();
}
