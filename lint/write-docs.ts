/**
 * Regenerates `docs/lint.md` from the rules and their fixtures (a development task; run from a
 * source checkout): `npx tsx lint/write-docs.ts`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderLintDocs, type RuleExamples } from "./docs.js";
import { writeFileAtomic } from "../core/atomic-write.js";
import { lintRules } from "./rules/index.js";

/** The checkout's root: the nearest directory above this file holding package.json. */
export function checkoutRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

/** A rule's documented examples: `test/fixtures/lint/<id>/fail.sim` and `pass.sim`. */
export function lintDocExamples(ruleId: string, root: string = checkoutRoot()): RuleExamples {
  const dir = join(root, "test", "fixtures", "lint", ruleId);
  return { fail: readFileSync(join(dir, "fail.sim"), "utf8"), pass: readFileSync(join(dir, "pass.sim"), "utf8") };
}

export function renderLintDocsFromFixtures(root: string = checkoutRoot()): string {
  return renderLintDocs(lintRules, (id) => lintDocExamples(id, root));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = checkoutRoot();
  writeFileAtomic(join(root, "docs", "lint.md"), renderLintDocsFromFixtures(root));
  process.stdout.write("wrote docs/lint.md\n");
}
