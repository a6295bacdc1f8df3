/**
 * Where module text comes from. The checker reads files only through a host, so tests and
 * property tests can check in-memory sources, and editors can supply unsaved buffers.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { CodedError } from "../core/coded-error.js";
import { readTextFile, regularFileProblem } from "../core/input-file.js";

export interface ModuleHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** True for an existing regular file. */
  fileExists(path: string): boolean;
  /** Names of the entries of a directory (empty when it does not exist). */
  listDir(path: string): string[];
  /** Why `path` is not a readable regular file (a directory, a device, a loop), when the host can tell. */
  fileProblem?(path: string, role: string): CodedError | undefined;
  /** The text, or why it cannot be had (not UTF-8, binary, not a regular file), when the host can tell. */
  readSource?(path: string, role: string): { text: string } | { problem: CodedError };
}

function readSourceFile(path: string, role: string): { text: string } | { problem: CodedError } {
  try {
    return { text: readTextFile(path, role) };
  } catch (error) {
    if (error instanceof CodedError) return { problem: error };
    throw error;
  }
}

export const nodeHost: ModuleHost = {
  readFile(path) {
    const read = readSourceFile(path, "file");
    return "text" in read ? read.text : undefined;
  },
  fileProblem: regularFileProblem,
  readSource: readSourceFile,
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
