/**
 * Where module text comes from. The checker reads files only through a host, so tests and
 * property tests can check in-memory sources, and editors can supply unsaved buffers.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";

export interface ModuleHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** True for an existing regular file. */
  fileExists(path: string): boolean;
  /** Names of the entries of a directory (empty when it does not exist). */
  listDir(path: string): string[];
}

export const nodeHost: ModuleHost = {
  readFile(path) {
    try {
      return readFileSync(path, "utf8");
    } catch {
      return undefined;
    }
  },
  fileExists(path) {
    try {
      return existsSync(path) && statSync(path).isFile();
    } catch {
      return false;
    }
  },
  listDir(path) {
    try {
      return readdirSync(path);
    } catch {
      return [];
    }
  },
};

/**
 * In-memory files (keys resolved to absolute paths), falling back to `base` for everything
 * else, so in-memory sources can still import the standard library from disk.
 */
export function memoryHost(files: Record<string, string>, base?: ModuleHost): ModuleHost {
  const table = new Map(Object.entries(files).map(([path, text]) => [resolve(path), text]));
  return {
    readFile(path) {
      const text = table.get(resolve(path));
      return text !== undefined ? text : base?.readFile(path);
    },
    fileExists(path) {
      return table.has(resolve(path)) || (base?.fileExists(path) ?? false);
    },
    listDir(path) {
      const dir = resolve(path);
      const names = new Set(base?.listDir(path) ?? []);
      for (const key of table.keys()) {
        if (key.startsWith(dir + "/")) names.add(key.slice(dir.length + 1).split("/")[0]);
      }
      return [...names];
    },
  };
}
