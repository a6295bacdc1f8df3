/**
 * Training curves (loss, and whatever else a run records per epoch) as SVG or PNG, drawn by
 * the charts module (vega-lite): one line per series, a legend, round integer ticks for
 * epochs; values spanning more than two decades are drawn on a log scale.
 */
import { lineChartSpec } from "../charts/line-chart.js";
import { renderSvg, svgToPng } from "../charts/render.js";

export interface Series {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface PlotOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
}

/** Round tick values covering [low, high], about `count` of them (1-2-5 steps). */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / Math.max(count, 1);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? 10 * magnitude;
  const ticks: number[] = [];
  for (let t = Math.ceil(low / step) * step; t <= high + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

function spec(series: readonly Series[], options: PlotOptions) {
  const xs = series.flatMap((s) => s.points.map((p) => p.x)).filter(Number.isFinite);
  const xMin = Math.min(...xs, 1);
  const xMax = Math.max(...xs, xMin + 1);
  // Epochs are integers: whole-number ticks, about eight at most.
  const xTicks = niceTicks(xMin, xMax, Math.min(8, Math.max(1, xMax - xMin))).filter((t) => Number.isInteger(t) || xMax - xMin < 4);
  return lineChartSpec(series, { ...options, xTicks });
}

export function lineChartSvg(series: readonly Series[], options: PlotOptions): string {
  return renderSvg(spec(series, options));
}

/** The same chart as a PNG (twice the SVG's pixel size). */
export function lineChartPng(series: readonly Series[], options: PlotOptions): Uint8Array {
  return svgToPng(lineChartSvg(series, options));
}
