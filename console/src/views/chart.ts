// A uPlot line chart of one purpose's daily consent counts, mounted on an element lit renders.
// uPlot sets its styles through element.style (CSSOM), which the CSP allows.
import uPlot from 'uplot';
import type { DayCounts } from '../types.ts';

export const SERIES = [
  { key: 'given', label: 'given', stroke: '#1a7f37' },
  { key: 'refused', label: 'refused', stroke: '#6e7781' },
  { key: 'withdrawn', label: 'withdrawn', stroke: '#bc4c00' },
  { key: 'expired', label: 'expired', stroke: '#8250df' },
] as const;

const charts = new Map<Element, { chart: uPlot; key: string }>();

/** Draws (or redraws, when the data changed) the chart of `series` in `element`. */
export function mountChart(element: Element | undefined, purpose: string, series: DayCounts[]): void {
  if (!element) return;
  const key = `${purpose}:${JSON.stringify(series)}`;
  const existing = charts.get(element);
  if (existing?.key === key) return;
  existing?.chart.destroy();
  const x = series.map((d) => Date.parse(`${d.day}T00:00:00Z`) / 1000);
  const data: uPlot.AlignedData = [x, ...SERIES.map((s) => series.map((d) => d[s.key]))];
  const chart = new uPlot(
    {
      title: undefined,
      width: widthOf(element),
      height: 220,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      legend: { show: false },
      axes: [{}, { label: 'changes per day' }],
      series: [{ label: 'day' }, ...SERIES.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: series.length <= 31 } }))],
    },
    data,
    element as HTMLElement,
  );
  charts.set(element, { chart, key });
  (element as HTMLElement).dataset['rendered'] = String(series.length);
}

function widthOf(element: Element): number {
  return Math.max(280, Math.min(900, Math.floor(element.clientWidth || 600)));
}

addEventListener('resize', () => {
  for (const [element, { chart }] of charts) {
    if (!element.isConnected) {
      chart.destroy();
      charts.delete(element);
    } else {
      chart.setSize({ width: widthOf(element), height: 220 });
    }
  }
});
