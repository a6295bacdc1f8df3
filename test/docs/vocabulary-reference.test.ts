import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { renderVocabularyReference, withVocabularyReference } from "../../vocabulary/reference.js";
import { SOLVER_NAMES } from "../../vocabulary/solvers.js";
import { OPTIMIZER_NAMES, SCHEDULE_NAMES } from "../../vocabulary/training.js";

const LANGUAGE = readFileSync(join(import.meta.dirname, "..", "..", "docs", "language.md"), "utf8");

describe("the vocabulary reference in docs/language.md", () => {
  it("is what the tables generate (run `npm run gen:docs` after changing them)", () => {
    expect(withVocabularyReference(LANGUAGE)).toBe(LANGUAGE);
  });

  it("has a row for every solver, optimizer and schedule", () => {
    const reference = renderVocabularyReference();
    for (const name of [...SOLVER_NAMES, ...OPTIMIZER_NAMES, ...SCHEDULE_NAMES]) expect(reference, name).toContain(`| \`${name}\` |`);
  });

  it("replaces a stale section rather than appending another", () => {
    const stale = withVocabularyReference("# doc\n").replace("| `adam` |", "| `adamx` |");
    const fresh = withVocabularyReference(stale);
    expect(fresh).not.toContain("adamx");
    expect(fresh.split("## Vocabulary reference").length).toBe(2);
  });
});
