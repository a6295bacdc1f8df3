/**
 * Eigenvalues on the complex plane in the style of the SIM paper's Figure 2: the unit disc
 * shaded grey, the unit circle in blue, λ = 1 in red, other unit-modulus eigenvalues in green;
 * eigenvalues inside the disc in black, outside in purple, spurious ones (large residual) as
 * hollow grey circles; marker area grows with the mode's amplitude.
 */
import type { ChartSpec } from "./render.js";

export interface PlottedEigenvalue {
  re: number;
  im: number;
  /** fixed point, oscillation, decay, growth, defective, spurious. */
  role: string;
  amplitude: number;
  residual: number;
}

const ROLE_COLORS: Record<string, string> = {
  "fixed point": "#d62728",
  oscillation: "#2ca02c",
  decay: "#111111",
  growth: "#9467bd",
  defective: "#ff7f0e",
  spurious: "#aaaaaa",
};

export function eigenvaluePlotSpec(values: readonly PlottedEigenvalue[], options: { title: string; size?: number }): ChartSpec {
  const extent = Math.max(1.1, ...values.map((v) => 1.05 * Math.max(Math.abs(v.re), Math.abs(v.im))).filter(Number.isFinite));
  const side = options.size ?? 480;
  const circle = Array.from({ length: 361 }, (_, i) => ({ angle: i, re: Math.cos((i * Math.PI) / 180), im: Math.sin((i * Math.PI) / 180) }));
  const disc = Array.from({ length: 201 }, (_, i) => {
    const x = -1 + i / 100;
    const h = Math.sqrt(Math.max(0, 1 - x * x));
    return { re: x, low: -h, high: h };
  });
  const roles = Object.keys(ROLE_COLORS).filter((role) => values.some((v) => v.role === role));
  const largest = Math.max(1e-12, ...values.map((v) => v.amplitude).filter(Number.isFinite));
  const points = values.map((v) => ({ ...v, amplitude: Number.isFinite(v.amplitude) ? v.amplitude : 0, spurious: v.role === "spurious" }));
  const axis = (title: string) => ({ field: "re", type: "quantitative" as const, title, scale: { domain: [-extent, extent], nice: false } });
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: options.title,
    width: side,
    height: side,
    layer: [
      {
        data: { values: disc },
        mark: { type: "area", color: "#e6e6e6", opacity: 1 },
        encoding: { x: axis("Re λ"), y: { field: "low", type: "quantitative", title: "Im λ", scale: { domain: [-extent, extent], nice: false } }, y2: { field: "high" } },
      },
      {
        data: { values: circle },
        mark: { type: "line", color: "#1f77b4", strokeWidth: 1.5 },
        encoding: { x: axis("Re λ"), y: { field: "im", type: "quantitative", title: "Im λ", scale: { domain: [-extent, extent], nice: false } }, order: { field: "angle" } },
      },
      {
        data: { values: points },
        mark: { type: "point", strokeWidth: 1.5 },
        encoding: {
          x: axis("Re λ"),
          y: { field: "im", type: "quantitative", title: "Im λ", scale: { domain: [-extent, extent], nice: false } },
          color: { field: "role", type: "nominal", title: "eigenvalue", scale: { domain: roles, range: roles.map((r) => ROLE_COLORS[r]) } },
          fill: { condition: { test: "datum.spurious", value: "transparent" }, field: "role", type: "nominal", legend: null, scale: { domain: roles, range: roles.map((r) => ROLE_COLORS[r]) } },
          size: { field: "amplitude", type: "quantitative", title: "amplitude", scale: { type: "sqrt", domain: [0, largest], range: [12, 400] } },
          tooltip: [
            { field: "re", type: "quantitative", format: ".4f" },
            { field: "im", type: "quantitative", format: ".4f" },
            { field: "residual", type: "quantitative", format: ".3g" },
          ],
        },
      },
    ],
    resolve: { scale: { color: "shared" } },
  } as ChartSpec;
}
