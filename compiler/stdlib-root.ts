/**
 * Locates the standard library (`stdlib/` next to simc's package.json) from this file, which
 * runs from the source tree (`compiler/`) under tsx and from `dist/compiler/` once built.
 */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function defaultStdlibRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "stdlib"))) {
      cached = join(dir, "stdlib");
      return cached;
    }
    dir = dirname(dir);
  }
  // Not found (unusual install): resolving std/ imports will report the missing modules.
  cached = join(dirname(fileURLToPath(import.meta.url)), "..", "stdlib");
  return cached;
}
