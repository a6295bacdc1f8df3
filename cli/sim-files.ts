/** The `.sim` files a command-line path names: the file itself, or those found under a directory. */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SKIPPED_DIRECTORIES = new Set(["node_modules", "dist"]);

/** Throws the file system's error for a path that does not exist. Directory results are sorted. */
export function simFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith(".") && !SKIPPED_DIRECTORIES.has(entry.name)) walk(full);
      } else if (entry.isFile() && entry.name.endsWith(".sim")) {
        found.push(full);
      }
    }
  };
  walk(path);
  return found;
}
