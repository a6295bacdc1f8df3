import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { tokenize } from "../../grammar/tokens.js";
import { format, meaning } from "./format-helpers.js";

const spec = `import { vgg_basis, fcn as head_fcn } from "std/basis";
/// A unit.
block unit(channels: int, kernel: int = 3, mode: plain | projected = plain) {
  residual { conv2d(channels: channels, kernel: kernel); relu() } shortcut { if mode == projected { conv2d(channels: channels, kernel: 1) } else { identity() } }
  repeat i in 0..2 { dropout(rate: 0.5 / (i + 1)) }
  repeat 2 { relu() }
}
model m {
  input: [28, 28, 1]
  basis { repeat 2 { unit(channels: 24) } flatten() dense(units: 50) }
  surrogate {}
  head { dense(units: -1 + 2 * 3 ** 2, bias: !false) }
  train { data: image("digits/7.png", gray: true); epochs: 3 }
}
`;

/** The spec's tokens, and the gaps between them (where whitespace and comments may go). */
const tokens = tokenize(spec).tokens.map((t) => t.image);

/**
 * Gaps where people put comments: after punctuation (`{`, `}`, `(`, `)`, `[`, `]`, `,`, `;`),
 * so at the start or end of a body, list or statement. Not inside `key: value` or between a
 * keyword and its name.
 */
const commentGaps = tokens.flatMap((token, i) => ("{}()[],;".includes(token) ? [i] : []));

const filler = fc.oneof(
  fc.constantFrom(" ", "\n", "\n\n", "  \n    "),
  fc.constantFrom("// note\n", "/* c */", " /* two\n lines */ ", "/// doc\n", "\n// own line\n"),
);

/** The spec rebuilt with a random filler in some of the gaps (a single space elsewhere). */
const variant = fc
  .array(fc.tuple(fc.nat({ max: commentGaps.length - 1 }), filler), { maxLength: 12 })
  .map((insertions) => {
    const gaps = tokens.map(() => " ");
    for (const [at, text] of insertions) gaps[commentGaps[at]] += text;
    return tokens.map((token, i) => token + gaps[i]).join("");
  });

describe("formatting arbitrary layouts of a valid spec", () => {
  it("keeps the AST and every comment, and is idempotent", async () => {
    await fc.assert(
      fc.asyncProperty(variant, async (text) => {
        const once = await format(text);
        const before = meaning(text);
        const after = meaning(once);
        expect(after.ast).toEqual(before.ast);
        // Every comment survives; line comments keep their order. (A block comment and a line
        // comment wedged inside one `key: value` may swap: the line comment moves above it.)
        expect([...after.comments].sort()).toEqual([...before.comments].sort());
        const lineComments = (m: { comments: string[] }) => m.comments.filter((c) => c.startsWith("//"));
        expect(lineComments(after)).toEqual(lineComments(before));
        expect(await format(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });
});
