/**
 * Renders diagnostics as code frames, in the style of rustc and esbuild:
 *
 *   specs/mnist/x.sim:7:5: error[SIM3001]: dense expects a vector [n] …, got [28, 28, 1]
 *      7 |     dense(units: 50)
 *        |     ^^^^^^^^^^^^^^^^
 *     help: add flatten() before it
 *     note: std/vgg:12:3: inside block 'vgg_basis'
 *
 * Every command reuses it. Colours only when asked (see `useColor`).
 */
import type { Diagnostic, Severity } from "../core/diagnostic.js";

export interface RenderOptions {
  /** ANSI colours; default: `useColor(process.stdout)`. */
  color?: boolean;
}

/** Colours when the stream is a terminal and NO_COLOR is not set (https://no-color.org). */
export function useColor(stream: { isTTY?: boolean } = process.stdout): boolean {
  const noColor = process.env.NO_COLOR;
  return stream.isTTY === true && (noColor === undefined || noColor === "");
}

const ANSI = {
  reset: "\u001b[0m",
  bold: "\u001b[1m",
  dim: "\u001b[2m",
  red: "\u001b[31m",
  yellow: "\u001b[33m",
  cyan: "\u001b[36m",
  green: "\u001b[32m",
  blue: "\u001b[34m",
};

const SEVERITY_COLOR: Record<Severity, string> = { error: ANSI.red, warning: ANSI.yellow, info: ANSI.cyan };
const MAX_LINE = 160;

export function renderDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>, options: RenderOptions = {}): string {
  const color = options.color ?? useColor();
  return diagnostics.map((d) => renderDiagnostic(d, sources.get(d.file), color)).join("\n");
}

export function renderDiagnostic(d: Diagnostic, source: string | undefined, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${ANSI.reset}` : text);
  const tint = SEVERITY_COLOR[d.severity] ?? "";
  const head =
    paint(ANSI.bold, `${d.file}:${d.loc.line}:${d.loc.column}: `) +
    paint(ANSI.bold + tint, `${d.severity}[${d.code}]`) +
    paint(ANSI.bold, `: ${d.message}`);
  const lines = [head];
  const frame = source !== undefined ? codeFrame(source, d, paint, tint) : [];
  lines.push(...frame);
  if (d.hint) lines.push(`  ${paint(ANSI.bold + ANSI.green, "help")}: ${d.hint}`);
  for (const note of d.related ?? []) {
    lines.push(`  ${paint(ANSI.bold + ANSI.blue, "note")}: ${note.file}:${note.loc.line}:${note.loc.column}: ${note.message}`);
  }
  return lines.join("\n") + "\n";
}

/** The offending line, numbered, with a caret underline from the column to the end of the span (on that line). */
function codeFrame(source: string, d: Diagnostic, paint: (code: string, text: string) => string, tint: string): string[] {
  const sourceLines = source.split(/\r\n|\r|\n/);
  const lineIndex = d.loc.line - 1;
  if (lineIndex < 0 || lineIndex >= sourceLines.length) return [];
  const raw = sourceLines[lineIndex];
  const startColumn = Math.max(1, Math.min(d.loc.column, raw.length + 1));
  const endColumn =
    d.loc.endLine === d.loc.line ? Math.max(startColumn + 1, Math.min(d.loc.endColumn, raw.length + 1)) : Math.max(startColumn + 1, raw.length + 1);

  // Display text: tabs as spaces, control characters made visible, long lines cut around the span.
  let display = "";
  let caretStart = 0;
  let caretEnd = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i === startColumn - 1) caretStart = display.length;
    if (i === endColumn - 1) caretEnd = display.length;
    if (i === raw.length) break;
    const ch = raw[i];
    display += ch === "\t" ? "    " : /[\u0000-\u001f\u007f-\u009f]/.test(ch) ? "?" : ch;
  }
  if (caretEnd <= caretStart) caretEnd = caretStart + 1;
  if (display.length > MAX_LINE) {
    const from = Math.max(0, Math.min(caretStart - 40, display.length - MAX_LINE));
    const to = Math.min(display.length, from + MAX_LINE);
    display = (from > 0 ? "…" : "") + display.slice(from, to) + (to < display.length ? "…" : "");
    const shift = from - (from > 0 ? 1 : 0);
    caretStart -= shift;
    caretEnd = Math.min(caretEnd - shift, display.length + 1);
    if (caretEnd <= caretStart) caretEnd = caretStart + 1;
  }
  const number = String(d.loc.line);
  const gutter = " ".repeat(number.length);
  return [
    `  ${paint(ANSI.dim, `${number} |`)} ${display}`,
    `  ${paint(ANSI.dim, `${gutter} |`)} ${" ".repeat(caretStart)}${paint(ANSI.bold + tint, "^".repeat(caretEnd - caretStart))}`,
  ];
}

/** `2 errors, 1 warning` (empty string when there is nothing). */
export function countSummary(diagnostics: readonly Diagnostic[]): string {
  const count = (severity: Severity) => diagnostics.filter((d) => d.severity === severity).length;
  const parts: string[] = [];
  const errors = count("error");
  const warnings = count("warning");
  if (errors) parts.push(`${errors} error${errors === 1 ? "" : "s"}`);
  if (warnings) parts.push(`${warnings} warning${warnings === 1 ? "" : "s"}`);
  return parts.join(", ");
}
