/**
 * Block packages: `import { x } from "PKG/MODULE"` (or `"@scope/pkg/MODULE"`) finds PKG the way
 * Node does — in `node_modules` of the importing file's directory, then of each directory above
 * it — and MODULE inside it by the package's own declaration in its package.json:
 *
 *   "simc": "blocks"  or  "simc": { "dir": "blocks", "main": "index" }
 *        MODULE is `<dir>/MODULE.sim`; `"PKG"` alone is `main`
 *   "exports": { "./vgg": "./sim/vgg.sim", "./*": { "simc": "./sim/*.sim" } }
 *        subpaths and `*` patterns, condition objects read for `simc`, then `default`
 *   neither: MODULE is `MODULE.sim` at the package's root
 *
 * A module found this way must lie inside its package's directory; so must what its relative
 * imports reach (`modules.ts` checks those).
 */
import { dirname, join, resolve } from "node:path";
import type { CheckerCode } from "../core/diagnostic-codes.js";
import type { ModuleHost } from "./module-host.js";
import { isInside } from "./paths.js";

export type PackageResolution =
  { ok: true; id: string; packageName: string; packageRoot: string } | { ok: false; code: CheckerCode; message: string; hint?: string };

/** `my-blocks/vgg` → `my-blocks` + `vgg`; `@lab/blocks/a/b` → `@lab/blocks` + `a/b`. */
export function splitPackageSpecifier(spec: string): { name: string; subpath: string } | undefined {
  const parts = spec.split("/");
  const nameParts = spec.startsWith("@") ? 2 : 1;
  if (parts.length < nameParts || parts.slice(0, nameParts).some((p) => p === "")) return undefined;
  const name = parts.slice(0, nameParts).join("/");
  if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/.test(name)) return undefined;
  const subpath = parts.slice(nameParts).join("/");
  if (subpath.split("/").some((p) => p === "." || p === "..")) return undefined;
  return { name, subpath };
}

/** The directory of package `name` as Node would find it from `fromDir`, or undefined. */
export function findPackage(name: string, fromDir: string, host: ModuleHost): string | undefined {
  let current = fromDir;
  for (;;) {
    // A package inside node_modules finds its siblings in the same node_modules.
    const candidate = current.endsWith("node_modules") ? undefined : join(current, "node_modules", name);
    if (candidate && host.fileExists(join(candidate, "package.json"))) return candidate;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

type ExportTarget = string | null | { [condition: string]: ExportTarget } | ExportTarget[];

/** A condition object's target for simc: `simc`, then `default`. */
function conditional(target: ExportTarget | undefined): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) return target.map(conditional).find((t) => t !== undefined);
  if (target && typeof target === "object") return conditional(target.simc) ?? conditional(target.default);
  return undefined;
}

/** `exports` → subpath table (`"."`, `"./vgg"`, `"./*"`). */
function exportTable(exports: unknown): Record<string, ExportTarget> {
  if (typeof exports === "string" || Array.isArray(exports)) return { ".": exports as ExportTarget };
  if (!exports || typeof exports !== "object") return {};
  const keys = Object.keys(exports);
  if (keys.length > 0 && keys.every((k) => !k.startsWith("."))) return { ".": exports as ExportTarget };
  return exports as Record<string, ExportTarget>;
}

function matchExports(table: Record<string, ExportTarget>, subpath: string): string | undefined {
  const key = subpath === "" ? "." : `./${subpath}`;
  for (const wanted of [key, `${key}.sim`]) {
    const exact = conditional(table[wanted]);
    if (exact !== undefined) return exact;
  }
  // The longest pattern prefix wins, as in Node.
  const patterns = Object.keys(table)
    .filter((k) => k.split("*").length === 2)
    .sort((a, b) => b.indexOf("*") - a.indexOf("*"));
  for (const pattern of patterns) {
    const [prefix, suffix] = pattern.split("*");
    if (key.startsWith(prefix) && key.endsWith(suffix) && key.length >= prefix.length + suffix.length) {
      const target = conditional(table[pattern]);
      if (target !== undefined) return target.split("*").join(key.slice(prefix.length, key.length - suffix.length));
    }
  }
  return undefined;
}

interface PackageJson {
  name?: string;
  simc?: string | { dir?: string; main?: string };
  exports?: unknown;
}

const withSim = (path: string) => (path.endsWith(".sim") ? path : `${path}.sim`);

export function resolvePackageImport(spec: string, fromDir: string, host: ModuleHost): PackageResolution {
  const split = splitPackageSpecifier(spec);
  if (!split) {
    return {
      ok: false,
      code: "SIM1008",
      message: `malformed import "${spec}"`,
      hint: 'packages are imported as "PKG/MODULE" or "@scope/PKG/MODULE"; files as "./file.sim"; the standard library as "std/NAME"',
    };
  }
  const { name, subpath } = split;
  const root = findPackage(name, fromDir, host);
  if (!root && subpath === "") {
    // A bare name is more often a misspelt std/ or relative import than a package.
    return {
      ok: false,
      code: "SIM1008",
      message: `cannot import "${spec}": paths start with "std/", "./" or "../", or name a package's module`,
      hint: `for the standard library write "std/${spec}", for a file next to this one "./${withSim(spec)}", for an installed package "${spec}/MODULE"`,
    };
  }
  if (!root) {
    return {
      ok: false,
      code: "SIM1011",
      message: `cannot find package '${name}' (no node_modules/${name}/package.json in ${fromDir} or above)`,
      hint: `install it (npm install ${name}); for a file of this project write "./${spec}${spec.endsWith(".sim") ? "" : ".sim"}"`,
    };
  }
  const manifestPath = join(root, "package.json");
  let manifest: PackageJson;
  try {
    manifest = JSON.parse(host.readFile(manifestPath) ?? "") as PackageJson;
  } catch (error) {
    return { ok: false, code: "SIM1013", message: `${manifestPath} is not valid JSON (${(error as Error).message})` };
  }
  let target: string | undefined;
  let looked: string;
  if (manifest.simc !== undefined) {
    const field = typeof manifest.simc === "string" ? { dir: manifest.simc } : manifest.simc;
    if (!field || typeof field !== "object") {
      return { ok: false, code: "SIM1013", message: `${manifestPath}: "simc" must be a directory or { "dir", "main" }` };
    }
    const dir = typeof field.dir === "string" ? field.dir : ".";
    const module = subpath === "" ? field.main : subpath;
    if (typeof module !== "string") {
      return {
        ok: false,
        code: "SIM1012",
        message: `package '${name}' names no main module; import one of its modules as "${name}/MODULE"`,
        hint: `or declare "simc": { "dir": "${dir}", "main": "NAME" } in its package.json`,
      };
    }
    target = withSim(join(dir, module));
    looked = `"simc" in ${manifestPath}`;
  } else if (manifest.exports !== undefined) {
    const table = exportTable(manifest.exports);
    const found = matchExports(table, subpath);
    if (found === undefined) {
      const exported = Object.keys(table).filter((k) => conditional(table[k]) !== undefined);
      return {
        ok: false,
        code: "SIM1012",
        message: `package '${name}' does not export "${subpath === "" ? "." : `./${subpath}`}"`,
        hint: exported.length ? `its exports: ${exported.join(", ")}` : `its package.json "exports" lists nothing for simc`,
      };
    }
    target = found;
    looked = `"exports" in ${manifestPath}`;
  } else {
    if (subpath === "") {
      return { ok: false, code: "SIM1012", message: `import a module of package '${name}': "${name}/MODULE"` };
    }
    target = withSim(subpath);
    looked = root;
  }
  const id = resolve(root, target);
  if (!isInside(id, root)) {
    return { ok: false, code: "SIM1013", message: `package '${name}' maps "${spec}" to ${id}, outside the package (${looked})` };
  }
  if (!host.fileExists(id)) {
    return {
      ok: false,
      code: "SIM1012",
      message: `package '${name}' has no module "${subpath}" (looked for ${id}, from ${looked})`,
    };
  }
  return { ok: true, id, packageName: name, packageRoot: root };
}
