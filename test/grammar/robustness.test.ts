import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Node, SourceLocation } from "../../grammar/ast.js";
import { parseDocument } from "../../grammar/parse.js";
import { tokenize } from "../../grammar/tokens.js";
import { childrenOf, visit } from "../../grammar/visitor.js";

const spec = `// Two-tier SIM on MNIST.
import { vgg_basis, fcn as surrogate_fcn } from "std/basis";

/// Residual unit with an optional projection.
block unit(channels: int, kernel: int = 3, mode: plain | projected = plain) {
  residual {
    conv2d(channels: channels, kernel: kernel, padding: same)
    batchnorm(epsilon: 1e-5)
    relu()
  } shortcut {
    if mode == projected { conv2d(channels: channels, kernel: 1) }
  }
  repeat i in 0..2 { dropout(rate: 0.5 / (i + 1)) }
}

model two_tier {
  input: [28, 28, 1]
  task: classify(classes: 10)
  basis { repeat 2 { unit(channels: 24) } maxpool(size: 2); flatten(); dense(units: 50) }
  embed: rff(n: 256, sigma: .5, kernel: gauss)
  surrogate { surrogate_fcn(width: 32 * 2, depth: -1 + 3, on: !false) }
  deq { solver: anderson(memory: 6, tol: 1e-3); backward: implicit(tol: 1e-6) }
  train { data: image("digits/7.png", gray: true), epochs: 3, batch: 128 }
}
`;

/** Offsets where lines start, found with a regular expression (independently of the parser). */
const lineStartsCache = new Map<string, number[]>();
function lineStarts(text: string): number[] {
  let starts = lineStartsCache.get(text);
  if (!starts) {
    starts = [0, ...[...text.matchAll(/\r\n|\r|\n/g)].map((m) => m.index + m[0].length)];
    lineStartsCache.clear();
    lineStartsCache.set(text, starts);
  }
  return starts;
}

/** Line/column of an offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const starts = lineStarts(text);
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line: line + 1, column: offset - starts[line] + 1 };
}

/** Why a location is not a valid `[start, end)` range of `text` with matching line/columns. */
function locationProblem(text: string, loc: SourceLocation): string | undefined {
  if (!Number.isInteger(loc.start) || !Number.isInteger(loc.end)) return "non-integer offsets";
  if (loc.start < 0 || loc.start > loc.end || loc.end > text.length) return `bad range [${loc.start}, ${loc.end})`;
  const first = position(text, loc.start);
  if (first.line !== loc.line || first.column !== loc.column) return `start ${loc.line}:${loc.column}, expected ${first.line}:${first.column}`;
  const last = loc.end > loc.start ? position(text, loc.end - 1) : { line: first.line, column: first.column - 1 };
  if (last.line !== loc.endLine || last.column + 1 !== loc.endColumn) {
    return `end ${loc.endLine}:${loc.endColumn}, expected ${last.line}:${last.column + 1}`;
  }
  return undefined;
}

/** parseDocument's contract on any input; returns the violations (none expected). */
function violations(text: string): string[] {
  const found: string[] = [];
  const check = (loc: SourceLocation, what: string) => {
    const problem = locationProblem(text, loc);
    if (problem) found.push(`${what}: ${problem}`);
  };
  const { document, diagnostics } = parseDocument(text, "fuzz.sim");
  for (const d of diagnostics) {
    if (!/^SIM0\d{3}$/.test(d.code) || d.message.length === 0) found.push(`malformed diagnostic ${d.code} '${d.message}'`);
    check(d.loc, `diagnostic ${d.code} ${d.message}`);
  }
  visit(document, {
    enter(node: Node) {
      check(node.loc, node.kind);
      for (const child of childrenOf(node)) {
        const empty = child.loc.end === child.loc.start;
        if (!empty && (child.loc.start < node.loc.start || child.loc.end > node.loc.end)) {
          found.push(`${child.kind} [${child.loc.start}, ${child.loc.end}) outside ${node.kind} [${node.loc.start}, ${node.loc.end})`);
        }
      }
    },
  });
  for (const comment of document.comments) check(comment.loc, "comment");
  return found;
}

function checkInvariants(text: string): void {
  expect(violations(text), JSON.stringify(text)).toEqual([]);
}

/** The spec as a list of token and comment spellings, the units the mutations move around. */
const pieces = (() => {
  const lexed = tokenize(spec);
  return [...lexed.tokens, ...lexed.comments].sort((a, b) => a.startOffset - b.startOffset).map((t) => t.image);
})();
const vocabulary = [...new Set(pieces), "{", "}", "(", ")", "[", "]", ",", ";", "..", ".", "=", "|", "@", '"', "/*", "#"];

type Mutation =
  | { op: "delete"; at: number }
  | { op: "insert"; at: number; piece: number }
  | { op: "swap"; at: number; with: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ op: fc.constant("insert" as const), at: fc.nat(), piece: fc.nat() }),
  fc.record({ op: fc.constant("swap" as const), at: fc.nat(), with: fc.nat() }),
);

function mutate(mutations: Mutation[], separator: string): string {
  const out = [...pieces];
  for (const m of mutations) {
    const at = m.at % (out.length + 1);
    if (m.op === "delete" && out.length > 0) out.splice(at % out.length, 1);
    else if (m.op === "insert") out.splice(at, 0, vocabulary[m.piece % vocabulary.length]);
    else if (m.op === "swap" && out.length > 1) {
      const i = at % out.length;
      const j = m.with % out.length;
      [out[i], out[j]] = [out[j], out[i]];
    }
  }
  // Line comments must stay on their own line, or they would swallow the rest.
  return out.map((p) => (p.startsWith("//") ? `${p}\n` : p)).join(separator);
}

describe("parseDocument never throws and keeps every location inside the text", () => {
  it("holds on the unmutated spec, which parses cleanly", () => {
    expect(parseDocument(spec, "spec.sim").diagnostics).toEqual([]);
    expect(parseDocument(mutate([], " "), "spec.sim").diagnostics).toEqual([]);
    checkInvariants(spec);
  });

  it("holds on random strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => checkInvariants(text)),
      { numRuns: 300 },
    );
  });

  it("holds on random strings over the language's own characters", () => {
    const chars = fc.constantFrom(..."{}()[],:;.=|+-*/%!<>&\"\\ \n\tabcimportblockmodel0123456789e_#");
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 300 }), (list) => checkInvariants(list.join(""))),
      { numRuns: 300 },
    );
  });

  it("holds on random bytes, decoded as UTF-8 and as Latin-1", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        checkInvariants(new TextDecoder("utf-8").decode(bytes));
        checkInvariants(Buffer.from(bytes).toString("latin1"));
      }),
      { numRuns: 200 },
    );
  });

  it("holds on token-level mutations of a real spec", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 6 }), fc.constantFrom(" ", "\n", "\r\n  "), (mutations, separator) =>
        checkInvariants(mutate(mutations, separator)),
      ),
      { numRuns: 1000 },
    );
  });

  it("holds on every truncation of the spec", () => {
    for (let end = 0; end <= spec.length; end += 7) checkInvariants(spec.slice(0, end));
  });
});
