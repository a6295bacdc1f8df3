/**
 * Line charts (one line per series, a legend, axis titles) as vega-lite specifications: the
 * training curves. Values spanning more than two decades go on a log scale.
 */
import type { ChartSpec } from "./render.js";

export interface LineSeries {
  label: string;
  color: string;
  points: { x: number; y: number }[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  /** Tick values for the x axis (default: vega's). */
  xTicks?: number[];
}

export function lineChartSpec(series: readonly LineSeries[], options: LineChartOptions): ChartSpec {
  const values = series.flatMap((s) =>
    s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y)).map((p) => ({ x: p.x, y: p.y, series: s.label })),
  );
  const ys = values.map((v) => v.y);
  const log = ys.length > 0 && ys.every((y) => y > 0) && Math.max(...ys) / Math.min(...ys) > 100;
  const lonely = new Set(series.filter((s) => s.points.length === 1).map((s) => s.label));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title,
    width: (options.width ?? 640) - 120,
    height: (options.height ?? 400) - 80,
    data: { values },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: options.xLabel,
        axis: options.xTicks ? { values: options.xTicks, format: "~g" } : { format: "~g" },
        scale: { zero: false, nice: false },
      },
      y: {
        field: "y",
        type: "quantitative",
        title: log ? `${options.yLabel} (log scale)` : options.yLabel,
        scale: log ? { type: "log" } : { zero: true },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { domain: series.map((s) => s.label), range: series.map((s) => s.color) },
        legend: { orient: "top-right" },
      },
    },
    layer: [
      { mark: { type: "line", strokeWidth: 2 } },
      { transform: [{ filter: { field: "series", oneOf: [...lonely] } }], mark: { type: "point", filled: true, size: 40 } },
    ],
  };
}
