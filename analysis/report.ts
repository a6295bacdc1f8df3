/**
 * What `simc analyze` prints: the eigenvalue table, the verdict in one line, the lift report,
 * and the versioned JSON document with the same numbers.
 */
import type { LiftReport } from "./lift.js";
import type { SpectrumAnalysis } from "./spectrum.js";

export const ANALYSIS_JSON_VERSION = 1;

const fixed = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const sci = (x: number) => (Number.isFinite(x) ? x.toExponential(2) : "inf");

/** The eigenvalue table: at most `limit` rows, kept ones first by modulus, then the spurious ones. */
export function spectrumTable(analysis: SpectrumAnalysis, limit = 20): string {
  const header = ["#", "λ", "|λ|", "arg λ", "residual", "status", "role", "amplitude"];
  const order = analysis.eigen
    .map((row, index) => ({ row, index }))
    .sort((a, b) => Number(b.row.kept) - Number(a.row.kept) || b.row.modulus - a.row.modulus);
  const rows = order.slice(0, limit).map(({ row, index }) => [
    String(index + 1),
    row.im === 0 ? fixed(row.re) : `${fixed(row.re)}${row.im < 0 ? "−" : "+"}${fixed(Math.abs(row.im))}i`,
    fixed(row.modulus),
    fixed(row.argument, 3),
    sci(row.residual),
    row.kept ? "kept" : "spurious",
    row.role,
    sci(row.amplitude),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 || i === 5 || i === 6 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const lines = [line(header), ...rows.map(line)];
  if (order.length > limit) lines.push(`… ${order.length - limit} more eigenpairs (all of them in --json)`);
  return lines.join("\n");
}

export function liftLines(report: LiftReport): string[] {
  const top = report.eigenvalues
    .slice(0, 5)
    .map((v) => (v.im === 0 ? fixed(v.re, 3) : `${fixed(v.re, 3)}${v.im < 0 ? "−" : "+"}${fixed(Math.abs(v.im), 3)}i`));
  return [
    `lift ${report.name}: m = ${report.m}, r = ${report.r}, numerical rank ${report.numericalRank} (singular values above ${report.rankTolerance} × the largest)`,
    `  max |λ(${report.name})| = ${fixed(report.maxModulus, 4)}   ‖P² − P‖_F / ‖P‖_F = ${fixed(report.projectionDistance, 4)}   (0 for a projection, whose eigenvalues are r ones and m − r zeros)`,
    `  largest eigenvalues: ${top.join(", ")}`,
  ];
}

export interface AnalysisDocument {
  version: typeof ANALYSIS_JSON_VERSION;
  model: string;
  target: string;
  source: { spec: string; checkpoint: string | null; epoch: number | null };
  data: { name: string; samples: number } | null;
  trajectories: { steps: number; requestedSteps: number; alpha: number; seconds: number } | null;
  spectrum: SpectrumAnalysis | null;
  lift: LiftReport[];
  plot: string | null;
  wallSeconds: number;
}
