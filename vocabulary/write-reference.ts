/**
 * Rewrites the vocabulary reference in `docs/language.md` and the data settings in `docs/data.md` from the tables (a development task,
 * run from a source checkout by `npm run gen:docs`).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeFileAtomic } from "../core/atomic-write.js";
import { withDataSettings } from "./data-forms/settings-table.js";
import { withVocabularyReference } from "./reference.js";

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  let root = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(root, "package.json")) && dirname(root) !== root) root = dirname(root);
  const path = join(root, "docs", "language.md");
  writeFileAtomic(path, withVocabularyReference(readFileSync(path, "utf8")));
  process.stdout.write("wrote docs/language.md\n");
  const data = join(root, "docs", "data.md");
  writeFileAtomic(data, withDataSettings(readFileSync(data, "utf8")));
  process.stdout.write("wrote docs/data.md\n");
}
