/**
 * Property tests: whatever the text — random characters, or real specs, stdlib modules and bad
 * fixtures cut, spliced and sprinkled with tokens — checking never throws, never fails
 * internally, reports only catalogued codes, and locates every diagnostic inside its file with
 * line/column agreeing with the offsets. Rendering the result never throws either.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderDiagnostics } from "../../cli/render-diagnostic.js";
import { checkSource, type CheckResult } from "../../compiler/check.js";
import { codeInfo } from "../../core/diagnostic-codes.js";
import { LineIndex } from "../../core/location.js";

function simFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return simFiles(path);
    return path.endsWith(".sim") ? [path] : [];
  });
}

const corpus = [...simFiles("specs"), ...simFiles("stdlib"), ...simFiles("test/fixtures/bad")]
  .map((path) => readFileSync(path, "utf8"))
  .filter((text) => text.length > 0);

const TOKENS = [
  "{", "}", "(", ")", "[", "]", ",", ":", ";", "..", ".", "=", "|", "**", "/", "-", "!", "&&", "==",
  "\n", " ", '"', "/*", "//", "///", "0", "-1", "1e309", "2.5", "9007199254740993", "true",
  "model", "block", "import", "from", "as", "residual", "shortcut", "repeat", "in", "if", "else",
  "dense(units: 4)", "conv2d(channels: 0)", "flatten()", "relu()", "maxpool(size: 100)",
  "basis", "lift: koopman(r: 99)", "embed: rff(n: 3)", "surrogate", "head", "deq", "train",
  "cell: monotone()", "solver: averaged()", "backward: unrolled(steps: 0)", "data: mnist",
  '"std/vgg"', '"./nope.sim"', '"../../../../x.sim"', "vgg_basis(channels: 2, m: 2)", "fcn(1, 2, 3)",
  "tcn(levels: 40, channels: 1, kernel: 2)", "repeat 10000 {", "x", "i", "n / 0",
];

type Edit = { kind: "delete"; at: number; length: number } | { kind: "insert"; at: number; token: string } | { kind: "splice"; at: number; from: number; length: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
  fc.record({ kind: fc.constant("splice" as const), at: fc.nat(), from: fc.nat(), length: fc.integer({ min: 1, max: 80 }) }),
);

function apply(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % (out.length + 1);
    if (e.kind === "delete") out = out.slice(0, at) + out.slice(at + e.length);
    else if (e.kind === "insert") out = out.slice(0, at) + e.token + out.slice(at);
    else {
      const from = out.length === 0 ? 0 : e.from % out.length;
      out = out.slice(0, at) + out.slice(from, from + e.length) + out.slice(at);
    }
  }
  return out;
}

const mutatedSpec = fc.tuple(fc.constantFrom(...corpus), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([text, edits]) => apply(text, edits));

function checkInvariants(text: string): void {
  let result: CheckResult;
  try {
    result = checkSource(text, "prop.sim");
  } catch (error) {
    throw new Error(`checkSource threw on ${JSON.stringify(text.slice(0, 200))}: ${String(error)}`);
  }
  for (const d of result.diagnostics) {
    expect(codeInfo(d.code), d.code).toBeDefined();
    expect(["SIM9001", "SIM0099"], `${d.code}: ${d.message}`).not.toContain(d.code);
    const source = result.sources.get(d.file);
    expect(source, `diagnostic in unknown file ${d.file}`).toBeDefined();
    const lines = new LineIndex(source!);
    expect(d.loc.start).toBeGreaterThanOrEqual(0);
    expect(d.loc.end).toBeGreaterThanOrEqual(d.loc.start);
    expect(d.loc.end).toBeLessThanOrEqual(source!.length);
    expect(lines.position(d.loc.start)).toEqual({ line: d.loc.line, column: d.loc.column });
    expect(d.message.length).toBeGreaterThan(0);
  }
  expect(() => renderDiagnostics(result.diagnostics, result.sources, { color: false })).not.toThrow();
}

describe("checking arbitrary text", () => {
  it("handles random strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 300, unit: "binary" }), checkInvariants), { numRuns: 150, seed: 20240601 });
  });

  it("handles random token soup", () => {
    const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((tokens) => tokens.join(" "));
    fc.assert(fc.property(soup, checkInvariants), { numRuns: 150, seed: 7 });
  });

  it("handles mutated specs, library modules and bad fixtures", () => {
    fc.assert(fc.property(mutatedSpec, checkInvariants), { numRuns: 250, seed: 42 });
  });

  it("still checks every unmutated corpus file without internal errors", () => {
    for (const text of corpus) checkInvariants(text);
  });
});
