/**
 * Random command lines for every command: whatever the tokens, simc answers with exit 0 or 1,
 * never 2 (its own bug), never a stack trace, and in bounded time.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeWorkspace, simc } from "./workspace.js";

let w: ReturnType<typeof makeWorkspace>;
beforeAll(() => {
  w = makeWorkspace();
});
afterAll(() => w.leave());

const COMMANDS = ["check", "compile", "train", "eval", "fmt", "lint", "doc", "runz", ""];
const FLAGS = [
  "--json", "--target", "--model", "-o", "--out", "--seed", "--data", "--epochs", "--batch", "--lr", "--limit",
  "--backend", "--resume", "--resume-anyway", "--memory", "--checkpoint", "--check", "--write", "--fix", "--no-json", "-x", "--",
];
// Small numbers only where they are valid: a random `--epochs` must not start a long run.
const VALUES = ["0", "-1", "1", "2", "1.5", "-0", "NaN", "inf", "-inf", "1e999", "abc", "", " ", "é", "\u0000", "0x10", "1KB", "sim", "deq", "cpu", "gpu", "-", "💥".repeat(3)];
const FILES = [
  "good.sim", "latin1.sim", "binary.sim", "bom.sim", "empty.sim", "huge.sim", "two-models.sim", "import-dir.sim", "import-loop.sim",
  "pipe.sim", "loop-a.sim", "dangling.sim", "blocks", "no-specs", "a-file", "pixels.json", "garbage.json", "picture.png", "nope.sim",
];

const token = fc.oneof(
  fc.constantFrom(...FLAGS),
  fc.constantFrom(...VALUES),
  fc.constantFrom(...FILES).map((name) => `@${name}`),
  fc.string({ maxLength: 12 }),
);

describe("random argument vectors", () => {
  it("exit 0 or 1 for every command, with no stack trace and no hang", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...COMMANDS), fc.array(token, { maxLength: 7 }), async (command, tokens) => {
        const argv = [command, ...tokens.map((t) => (t.startsWith("@") ? w.at(t.slice(1)) : t))].filter((t, i) => i > 0 || t !== "");
        if (argv[0] === "train") argv.push("--backend", "cpu", "--epochs", "1");
        if (argv[0] === "eval") argv.push("--backend", "cpu");
        const outcome = await simc(argv);
        const output = outcome.stdout + outcome.stderr;
        expect([0, 1], `${JSON.stringify(argv)}\n${output}`).toContain(outcome.code);
        expect(output).not.toContain("internal error");
        expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
        expect(outcome.ms).toBeLessThan(15_000);
      }),
      { numRuns: 120, seed: Date.now() % 1_000_000 },
    );
  }, 120_000);
});
