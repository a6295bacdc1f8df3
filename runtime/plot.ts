/**
 * A loss-curve plot as a small standalone SVG (no plotting library is installed): axes with
 * "nice" ticks, one polyline per series, a legend. Loss spanning more than two decades is drawn
 * on a log scale.
 */

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

function formatTick(value: number): string {
  if (value === 0) return "0";
  const abs = Math.abs(value);
  return abs >= 1e4 || abs < 1e-3 ? value.toExponential(0) : String(Number(value.toPrecision(4)));
}

const escapeXml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function lineChartSvg(series: readonly Series[], options: PlotOptions): string {
  const width = options.width ?? 640;
  const height = options.height ?? 400;
  const margin = { left: 64, right: 16, top: 36, bottom: 48 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const points = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const xs = points.map((p) => p.x);
  const ys = points.map((p) => p.y);
  const xMin = Math.min(...xs, 1);
  const xMax = Math.max(...xs, xMin + 1);
  const positive = ys.length > 0 && ys.every((y) => y > 0);
  const log = positive && Math.max(...ys) / Math.min(...ys) > 100;
  const f = (y: number) => (log ? Math.log10(y) : y);
  let yLow = ys.length ? Math.min(...ys.map(f)) : 0;
  let yHigh = ys.length ? Math.max(...ys.map(f)) : 1;
  if (!log) yLow = Math.min(yLow, 0);
  if (yHigh - yLow < 1e-12) yHigh = yLow + 1;
  const xTicks = niceTicks(xMin, xMax, Math.min(8, Math.max(1, xMax - xMin))).filter((t) => Number.isInteger(t) || xMax - xMin < 4);
  const yTicks = log
    ? Array.from({ length: Math.floor(yHigh) - Math.ceil(yLow) + 1 }, (_, i) => Math.ceil(yLow) + i)
    : niceTicks(yLow, yHigh, 5);
  // Close the axis with a tick above the highest value.
  if (!log && yTicks.length > 1 && yTicks[yTicks.length - 1] < yHigh) {
    yTicks.push(Number((2 * yTicks[yTicks.length - 1] - yTicks[yTicks.length - 2]).toPrecision(12)));
  }
  if (yTicks.length > 0) {
    yLow = Math.min(yLow, yTicks[0]);
    yHigh = Math.max(yHigh, yTicks[yTicks.length - 1]);
  }
  const px = (x: number) => margin.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const py = (v: number) => margin.top + plotH - ((v - yLow) / (yHigh - yLow)) * plotH;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  out.push(`<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escapeXml(options.title)}</text>`);
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    out.push(`<line x1="${margin.left}" y1="${y}" x2="${margin.left + plotW}" y2="${y}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${margin.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${formatTick(log ? 10 ** t : t)}</text>`);
  }
  for (const t of xTicks) {
    const x = px(t).toFixed(1);
    out.push(`<line x1="${x}" y1="${margin.top + plotH}" x2="${x}" y2="${margin.top + plotH + 5}" stroke="black"/>`);
    out.push(`<text x="${x}" y="${margin.top + plotH + 18}" text-anchor="middle">${formatTick(t)}</text>`);
  }
  out.push(
    `<polyline points="${margin.left},${margin.top} ${margin.left},${margin.top + plotH} ${margin.left + plotW},${margin.top + plotH}" fill="none" stroke="black"/>`,
  );
  out.push(`<text x="${margin.left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  out.push(
    `<text transform="translate(16 ${margin.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escapeXml(options.yLabel)}${log ? " (log scale)" : ""}</text>`,
  );
  series.forEach((s, i) => {
    const visible = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y) && (!log || p.y > 0));
    if (visible.length === 0) return;
    const path = visible.map((p) => `${px(p.x).toFixed(1)},${py(f(p.y)).toFixed(1)}`).join(" ");
    out.push(`<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"/>`);
    if (visible.length === 1)
      out.push(`<circle cx="${px(visible[0].x).toFixed(1)}" cy="${py(f(visible[0].y)).toFixed(1)}" r="3" fill="${s.color}"/>`);
    const ly = margin.top + 8 + i * 16;
    out.push(
      `<line x1="${margin.left + plotW - 110}" y1="${ly}" x2="${margin.left + plotW - 90}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`,
    );
    out.push(`<text x="${margin.left + plotW - 84}" y="${ly}" dominant-baseline="middle">${escapeXml(s.label)}</text>`);
  });
  out.push("</svg>");
  return `${out.join("\n")}\n`;
}
