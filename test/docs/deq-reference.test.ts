/**
 * The `deq` reference in docs/language.md against the DEQ catalogue the checker validates with:
 * every cell, solver and backward mode has a table row naming each of its settings with its
 * default and valid values, the default solver of each cell is stated, and the quoted examples
 * are the `deq` blocks of the specs they name.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { D, T, type ArgSpec } from "../../compiler/arguments.js";
import { backwardModes, CELLS, defaultSolverFor, SOLVERS, type SettingsDef } from "../../compiler/deq-catalogue.js";
import type { Place } from "../../compiler/reporter.js";
import type { EvalValue } from "../../compiler/values.js";

const ROOT = join(import.meta.dirname, "..", "..");
const LANGUAGE = readFileSync(join(ROOT, "docs", "language.md"), "utf8");
const HEADING = "## The `deq` block";

/** The text under `heading` (a line of its own) up to the next heading of the same level. */
function sectionText(markdown: string, heading: string): string | undefined {
  const lines = markdown.split("\n");
  const start = lines.indexOf(heading);
  if (start < 0) return undefined;
  const level = heading.slice(0, heading.indexOf(" ") + 1);
  const end = lines.findIndex((line, i) => i > start && line.startsWith(level));
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

const SECTION = sectionText(LANGUAGE, HEADING) ?? "";
const subsection = (title: string) => sectionText(SECTION, `### ${title}`) ?? "";

/** The table row documenting `name`: the line that starts with "| `name` |". */
function row(text: string, name: string): string | undefined {
  return text.split("\n").find((line) => line.startsWith(`| \`${name}\` |`));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Ways a default may be written in the doc: `1e-3` or `0.001`, `1.0` or `1`, `rel`. */
function spellings(value: EvalValue): string[] {
  switch (value.kind) {
    case "int":
    case "float": {
      const v = value.value;
      const forms = [String(v), v.toExponential()];
      if (Number.isInteger(v)) forms.push(v.toFixed(1));
      return forms;
    }
    case "bool":
      return [String(value.value)];
    case "string":
      return [JSON.stringify(value.value)];
    case "symbol":
      return [value.name];
    default:
      return [];
  }
}

const AT: Place = { file: "", loc: { start: 0, end: 0, line: 1, column: 1, endLine: 1, endColumn: 1 } };

/** The default as written without other settings; undefined when it follows another setting (`eval_max_iter = max_iter`). */
function constantDefault(spec: ArgSpec): EvalValue | undefined {
  return spec.default?.({}, AT);
}

function validNames(spec: ArgSpec): readonly string[] {
  if (spec.type.kind === "enum" || spec.type.kind === "number-or") return spec.type.members;
  return [];
}

/**
 * What the doc text leaves out for these catalogue entries. A setting counts as documented in
 * its entry's row, or in a row of its own (settings every entry of the table shares), written
 * `` `name` `` or `` `name = default` ``; a constant default must be written `` `name = default` ``,
 * and every valid name of an enum setting must appear there too. Settings in the entry's row
 * come in the catalogue's order, which is the order of positional arguments.
 */
function undocumented(text: string, defs: readonly SettingsDef[]): string[] {
  const problems: string[] = [];
  for (const def of defs) {
    const own = row(text, def.name);
    if (!own) {
      problems.push(`${def.name}: no table row`);
      continue;
    }
    let previous: { name: string; at: number } | undefined;
    for (const spec of def.settings) {
      const written = new RegExp(`\`${escape(spec.name)}(?: = [^\`]*)?\``);
      const where = [own, row(text, spec.name) ?? ""].join("\n");
      if (!written.test(where)) {
        problems.push(`${def.name}: setting ${spec.name} is not documented`);
        continue;
      }
      const at = own.search(written);
      if (at >= 0) {
        if (previous && at < previous.at) problems.push(`${def.name}: setting ${spec.name} is listed before ${previous.name}`);
        previous = { name: spec.name, at };
      }
      const value = constantDefault(spec);
      if (value) {
        const forms = spellings(value);
        if (!forms.some((form) => where.includes(`\`${spec.name} = ${form}\``))) {
          problems.push(`${def.name}: setting ${spec.name} lacks its default, \`${spec.name} = ${forms[0]}\``);
        }
      }
      for (const name of validNames(spec)) {
        if (!new RegExp(`\\b${escape(name)}\\b`).test(where)) {
          problems.push(`${def.name}: setting ${spec.name} does not list its valid value ${name}`);
        }
      }
    }
  }
  return problems;
}

/** The backward modes as the catalogue gives them after each forward solver (their defaults differ). */
function backwardProblems(text: string): string[] {
  const found = new Set<string>();
  for (const solver of SOLVERS.keys()) {
    for (const problem of undocumented(text, [...backwardModes(solver).values()])) found.add(problem);
  }
  return [...found];
}

/** The `deq { … }` block of a spec, braces matched. */
function deqBlock(source: string): string | undefined {
  const start = source.search(/^[ \t]*deq\s*\{/m);
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = source.indexOf("{", start); i < source.length; i++) {
    if (source[i] === "{") depth++;
    if (source[i] === "}" && --depth === 0) return source.slice(start, i + 1);
  }
  return undefined;
}

const normalise = (block: string) =>
  block
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .join("\n");

describe("the deq reference in docs/language.md", () => {
  it("has its section, linked from the model items table", () => {
    expect(SECTION.length).toBeGreaterThan(0);
    for (const title of ["Cells", "Solvers", "Backward modes", "Examples"]) {
      expect(subsection(title), `### ${title}`).not.toBe("");
    }
    expect(row(LANGUAGE, "deq { … }")).toContain("(#the-deq-block)");
  });

  it("documents every cell family with its settings, defaults and valid values", () => {
    const cells = subsection("Cells");
    expect(row(cells, "derived"), "the derived cell").toBeDefined();
    expect(undocumented(cells, [...CELLS.values()])).toEqual([]);
  });

  it("documents every solver with its own and shared settings, defaults and valid values", () => {
    expect(undocumented(subsection("Solvers"), [...SOLVERS.values()])).toEqual([]);
  });

  it("documents every backward mode with its settings, for every forward solver's defaults", () => {
    expect(backwardProblems(subsection("Backward modes"))).toEqual([]);
  });

  it("states each cell's default solver", () => {
    const line = subsection("Solvers")
      .split("\n")
      .find((l) => l.startsWith("Default:"));
    expect(line).toBeDefined();
    const fallback = defaultSolverFor("derived");
    expect(line).toContain(`\`${fallback}\` otherwise`);
    for (const family of CELLS.keys()) {
      const solver = defaultSolverFor(family);
      if (solver !== fallback) expect(line, family).toContain(`\`${solver}\` for \`${family}\``);
      else expect(line, family).not.toContain(`for \`${family}\``);
    }
  });

  it("reports what the catalogue adds or changes without the doc following", () => {
    /** Problems `changed` has that the catalogue's own entry has not. */
    const newProblems = (text: string, original: SettingsDef, changed: SettingsDef) => {
      const before = new Set(undocumented(text, [original]));
      return undocumented(text, [changed]).filter((p) => !before.has(p));
    };
    const cells = subsection("Cells");
    const solvers = subsection("Solvers");
    const linf = CELLS.get("linf")!;
    const widened: SettingsDef = {
      ...linf,
      settings: [...linf.settings, { name: "spectral_margin", type: T.positive(), default: D.float(0.1) }],
    };
    expect(newProblems(cells, linf, widened)).toEqual(["linf: setting spectral_margin is not documented"]);

    const picard = SOLVERS.get("picard")!;
    const redefaulted: SettingsDef = {
      ...picard,
      settings: picard.settings.map((s) => (s.name === "damping" ? { ...s, default: D.float(0.7) } : s)),
    };
    expect(newProblems(solvers, picard, redefaulted)).toEqual(["picard: setting damping lacks its default, `damping = 0.7`"]);

    const moreStops: SettingsDef = {
      ...picard,
      settings: picard.settings.map((s) => (s.name === "stop" ? { ...s, type: T.oneOf("rel", "abs", "max") } : s)),
    };
    expect(newProblems(solvers, picard, moreStops)).toEqual(["picard: setting stop does not list its valid value max"]);

    const [first, second, ...rest] = linf.settings;
    const reordered: SettingsDef = { ...linf, settings: [second, first, ...rest] };
    expect(newProblems(cells, linf, reordered)).toEqual([`linf: setting ${first.name} is listed before ${second.name}`]);

    expect(undocumented(solvers, [{ ...picard, name: "jacobi" }])).toEqual(["jacobi: no table row"]);
  });

  it("quotes the deq blocks of the specs it names, one per well-posed family", () => {
    const quoted = [...subsection("Examples").matchAll(/`(specs\/[^`]+\.sim)`:\n```sim\n([\s\S]*?)```/g)];
    expect(quoted.length).toBeGreaterThanOrEqual(3);
    for (const [, path, block] of quoted) {
      const spec = deqBlock(readFileSync(join(ROOT, path), "utf8"));
      expect(spec, path).toBeDefined();
      expect(normalise(block), `${path}: re-quote its deq block`).toBe(normalise(spec!));
    }
    const families = quoted.map(([, , block]) => /cell:\s*(\w+)\(/.exec(block)?.[1]);
    expect(families).toEqual(expect.arrayContaining(["monotone", "pcdeq", "linf"]));
  });
});
