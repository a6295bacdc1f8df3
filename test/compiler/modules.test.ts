import { describe, expect, it } from "vitest";
import { checkEntry, checkSource, type CheckResult } from "../../compiler/check.js";
import { memoryHost, nodeHost } from "../../compiler/module-host.js";
import { findProjectRoot } from "../../compiler/modules.js";

/** Checks `/proj/main.sim` among in-memory files (the standard library still comes from disk). */
function project(files: Record<string, string>, entry = "main.sim"): CheckResult {
  const host = memoryHost({ "/proj/package.json": "{}", ...Object.fromEntries(Object.entries(files).map(([k, v]) => [`/proj/${k}`, v])) }, nodeHost);
  return checkEntry(entry, { host, cwd: "/proj" });
}

const where = (r: CheckResult) => r.diagnostics.map((d) => `${d.code}@${d.file}:${d.loc.line}:${d.loc.column}`);

const model = (basis: string) => `model m {
  input: [2]
  task: regress(outputs: 3)
  basis { ${basis} }
  surrogate { dense(units: 8) }
  train { data: "pixels.png" }
}
`;

describe("module loading", () => {
  it("imports blocks from relative files and from the standard library, with aliases", () => {
    const result = project({
      "main.sim": `import { wide as w } from "./lib/blocks.sim"\nimport { fcn } from "std/fcn"\n${model("w(units: 4) fcn(hidden: 8, out: 6)")}`,
      "lib/blocks.sim": "block wide(units: int) {\n  dense(units: units * 2)\n}\n",
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.models[0].basis.map((l) => `${l.op}:${l.outputShape}:${l.via.join("/")}`)).toEqual([
      "dense:8:wide",
      "dense:8:fcn",
      "relu:8:fcn",
      "dense:8:fcn",
      "relu:8:fcn",
      "dense:6:fcn",
    ]);
    expect(result.models[0].basis[0].origin.file).toBe("lib/blocks.sim");
    expect([...result.sources.keys()]).toEqual(["main.sim", "lib/blocks.sim", "std/fcn"]);
  });

  it("accepts a relative import without the .sim extension", () => {
    const result = project({
      "main.sim": `import { wide } from "./blocks"\n${model("wide()")}`,
      "blocks.sim": "block wide() {\n  dense(units: 4)\n}\n",
    });
    expect(result.diagnostics).toEqual([]);
  });

  it("reports a cycle at the import that closes it, naming every module on it", () => {
    const result = project({
      "main.sim": `import { a } from "./a.sim"\n${model("a()")}`,
      "a.sim": `import { b } from "./b.sim"\nblock a() {\n  b()\n}\n`,
      "b.sim": `import { a } from "./a.sim"\nblock b() {\n  dense(units: 4)\n}\n`,
    });
    expect(where(result)).toEqual(["SIM1003@b.sim:1:19"]);
    expect(result.diagnostics[0].message).toBe("import cycle: a.sim → b.sim → a.sim");
    expect(result.diagnostics[0].related).toEqual([
      expect.objectContaining({ file: "a.sim", message: "imports b.sim here" }),
    ]);
  });

  it("reports a module importing itself", () => {
    const result = project({ "main.sim": `import { x } from "./main.sim"\nblock x() {\n  relu()\n}\n` });
    expect(where(result)).toEqual(["SIM1003@main.sim:1:19", "SIM1007@main.sim:2:7"]);
    expect(result.diagnostics[0].message).toBe("import cycle: main.sim → main.sim");
  });

  it("reports missing files, missing names and models with suggestions", () => {
    const missing = project({ "main.sim": `import { a } from "./blocs.sim"\nblock b() {\n  relu()\n}\n`, "blocks.sim": "" });
    expect(where(missing)).toEqual(["SIM1002@main.sim:1:19"]);
    expect(missing.diagnostics[0].message).toContain("did you mean 'blocks.sim'?");

    const name = project({ "main.sim": `import { conv_bn_rel } from "std/vgg"\nblock b() {\n  relu()\n}\n` });
    expect(where(name)).toEqual(["SIM1005@main.sim:1:10"]);
    expect(name.diagnostics[0].message).toBe(`"std/vgg" has no block 'conv_bn_rel'; did you mean 'conv_bn_relu'?`);

    const std = project({ "main.sim": `import { x } from "std/nope"\nblock b() {\n  relu()\n}\n` });
    expect(where(std)).toEqual(["SIM1006@main.sim:1:19"]);
    expect(std.diagnostics[0].hint).toContain("std/vgg");
  });

  it("refuses imports that leave the project root, and malformed paths", () => {
    const escape = project({ "main.sim": `import { x } from "../elsewhere/x.sim"\nblock b() {\n  relu()\n}\n` });
    expect(where(escape)).toEqual(["SIM1004@main.sim:1:19"]);
    const absolute = project({ "main.sim": `import { x } from "/etc/x.sim"\nblock b() {\n  relu()\n}\n` });
    expect(where(absolute)).toEqual(["SIM1008@main.sim:1:19"]);
    expect(absolute.diagnostics[0].hint).toContain("absolute paths are not allowed");
  });

  it("reports clashing local names and unreadable entries", () => {
    const clash = project({
      "main.sim": `import { fcn } from "std/fcn"\nimport { fcn } from "std/fcn"\nblock b() {\n  relu()\n}\n`,
    });
    expect(where(clash)).toEqual(["SIM1007@main.sim:2:10"]);
    const unreadable = project({}, "nothing.sim");
    expect(where(unreadable)).toEqual(["SIM1001@nothing.sim:1:1"]);
  });

  it("does not report names lost to a syntax error in the imported module", () => {
    const result = project({
      "main.sim": `import { a } from "./a.sim"\nblock b() {\n  a()\n}\n`,
      "a.sim": "block a( {\n  relu()\n}\n",
    });
    expect(result.diagnostics.every((d) => d.file === "a.sim" && d.code.startsWith("SIM0"))).toBe(true);
    expect(result.diagnostics.length).toBeGreaterThan(0);
  });

  it("finds the project root at the nearest package.json or simc.json, else the entry's directory", () => {
    const host = memoryHost({ "/r/package.json": "{}", "/r/a/simc.json": "{}", "/r/a/b/c.sim": "" });
    expect(findProjectRoot("/r/a/b", host)).toBe("/r/a");
    expect(findProjectRoot("/r", host)).toBe("/r");
    expect(findProjectRoot("/q/z", memoryHost({}))).toBe("/q/z");
  });
});

describe("checkSource", () => {
  it("checks in-memory text whose imports resolve through a given host", () => {
    const host = memoryHost({ "/mem/package.json": "{}", "/mem/lib.sim": "block two() {\n  dense(units: 2)\n}\n" }, nodeHost);
    const text = `import { two } from "./lib.sim"\nmodel m {\n  input: [3]\n  task: regress(outputs: 2)\n  basis { two() }\n  surrogate { dense(units: 4) }\n  train { data: "p.png" }\n}\n`;
    const withHost = checkSource(text, "/mem/main.sim", host);
    expect(withHost.diagnostics).toEqual([]);
    expect(withHost.models[0].basis[0].origin.file).toBe("/mem/lib.sim");
    const withOptions = checkSource(text, "main.sim", { host, cwd: "/mem" });
    expect(withOptions.models[0].basis[0].origin.file).toBe("lib.sim");
  });
});
