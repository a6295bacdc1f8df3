import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDoc } from "../../cli/commands/doc.js";
import { runTrain } from "../../cli/commands/train.js";
import { checkEntry } from "../../compiler/check.js";
import { memoryHost } from "../../compiler/module-host.js";
import { resolvePackageImport, splitPackageSpecifier } from "../../compiler/packages.js";
import { capture } from "../train/capture.js";

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

const codes = (result: ReturnType<typeof checkEntry>) => result.diagnostics.filter((d) => d.severity === "error").map((d) => d.code);

/** A spec whose basis and head come from packages. */
const spec = (imports: string) => `${imports}

model packaged {
  input: [28, 28, 1]
  task: classify(classes: 10)
  basis {
    small_basis(width: 16)
  }
  lift: koopman(m: 16, r: 8)
  surrogate {
    tiny_fcn(out: 16)
  }
  head {
    linear_head(outputs: 10)
  }
  train {
    data: mnist
    batch: 64
    epochs: 1
    limit: 128
  }
}
`;

describe("block packages installed with npm", () => {
  let root: string;
  let project: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), "simc-packages-"));
    // lab-fcn: a dependency of lab-blocks, declaring its .sim directory with the `simc` field.
    write(join(root, "lab-fcn"), {
      "package.json": JSON.stringify({ name: "lab-fcn", version: "1.0.0", simc: "sim", files: ["sim"] }),
      "sim/fcn.sim": `import { fcn } from "std/fcn";\n/// Two dense layers.\nblock tiny_fcn(out: int) {\n  fcn(hidden: 16, out: out, layers: 2)\n}\n`,
    });
    // lab-blocks: exports map with a pattern and a condition; imports std/, its own files and lab-fcn.
    write(join(root, "lab-blocks"), {
      "package.json": JSON.stringify({
        name: "lab-blocks",
        version: "1.0.0",
        exports: { "./*": { simc: "./blocks/*.sim" }, "./package.json": "./package.json" },
        dependencies: { "lab-fcn": "1.0.0" },
        files: ["blocks"],
      }),
      "blocks/basis.sim": `import { dense_relu } from "./parts/layers.sim";\n/// A flattening dense basis.\nblock small_basis(width: int) {\n  flatten()\n  dense_relu(units: width)\n}\n`,
      "blocks/parts/layers.sim": `block dense_relu(units: int) {\n  dense(units: units)\n  relu()\n}\n`,
      "blocks/surrogates.sim": `import { tiny_fcn } from "lab-fcn/fcn";\nimport { linear_head } from "std/heads";\nblock surrogate_fcn(out: int) {\n  tiny_fcn(out: out)\n}\n`,
    });
    const packed = (dir: string) =>
      join(
        root,
        execFileSync("npm", ["pack", "--silent", "--pack-destination", root], { cwd: dir, encoding: "utf8" }).trim().split("\n").pop()!,
      );
    const tarballs = [packed(join(root, "lab-fcn")), packed(join(root, "lab-blocks"))];
    project = join(root, "project");
    write(project, { "package.json": JSON.stringify({ name: "project", version: "0.0.0", private: true }) });
    execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", ...tarballs], { cwd: project, stdio: "pipe" });
  }, 120_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("checks a spec that imports blocks by package name (exports pattern, simc field, std/ and a dependency)", () => {
    write(project, {
      "model.sim": spec(
        `import { small_basis } from "lab-blocks/basis";\nimport { tiny_fcn } from "lab-fcn/fcn";\nimport { linear_head } from "std/heads";`,
      ),
    });
    const result = checkEntry(join(project, "model.sim"));
    expect(codes(result)).toEqual([]);
    expect(result.models.map((m) => m.name)).toEqual(["packaged"]);
    // A package module importing its dependency by name resolves from inside node_modules.
    write(project, { "dep.sim": `import { surrogate_fcn } from "lab-blocks/surrogates";\n` });
    expect(codes(checkEntry(join(project, "dep.sim")))).not.toContain("SIM1011");
    expect(codes(checkEntry(join(project, "dep.sim")))).toEqual(["SIM1010"]);
  });

  it("trains a model built from package blocks", async () => {
    const { code, stdout, stderr } = await capture(() =>
      runTrain(join(project, "model.sim"), { backend: "cpu", json: true, out: join(project, "run") }),
    );
    expect(code, stderr).toBe(0);
    const document = JSON.parse(stdout);
    expect(document.model).toBe("packaged");
    expect(document.metrics.accuracy).toBeGreaterThan(0);
    expect(document.parameters.trainable).toBe(16 * 784 + 16 + 16 * 8 + 8 * 16 + (16 * 16 + 16) * 2 + 16 * 10 + 10);
  }, 120_000);

  it("documents a package module with simc doc PKG/MODULE", async () => {
    const cwd = process.cwd();
    process.chdir(project);
    let stdout = "";
    try {
      const documented = await capture(() => runDoc("lab-blocks/basis", {}));
      expect(documented.code).toBe(0);
      stdout = documented.stdout;
    } finally {
      process.chdir(cwd);
    }
    expect(stdout).toContain("lab-blocks/basis");
    expect(stdout).toContain("block small_basis(width: int)");
    expect(stdout).toContain("A flattening dense basis.");
  });

  it("reports missing packages, unexported modules and escapes with their codes", () => {
    write(project, {
      "missing.sim": `import { x } from "no-such-blocks/vgg";\n`,
      "unexported.sim": `import { x } from "lab-fcn/nothing";\n`,
    });
    const missing = checkEntry(join(project, "missing.sim"));
    expect(codes(missing)).toContain("SIM1011");
    expect(missing.diagnostics.find((d) => d.code === "SIM1011")?.hint).toContain("npm install no-such-blocks");
    expect(codes(checkEntry(join(project, "unexported.sim")))).toContain("SIM1012");
  });
});

describe("package resolution (in memory)", () => {
  const base = "/proj";
  const host = (files: Record<string, string>) => memoryHost(Object.fromEntries(Object.entries(files).map(([p, t]) => [join(base, p), t])));

  it("splits scoped and plain specifiers and refuses dot segments", () => {
    expect(splitPackageSpecifier("my-blocks/vgg")).toEqual({ name: "my-blocks", subpath: "vgg" });
    expect(splitPackageSpecifier("@lab/blocks/a/b")).toEqual({ name: "@lab/blocks", subpath: "a/b" });
    expect(splitPackageSpecifier("my-blocks/../x")).toBeUndefined();
    expect(splitPackageSpecifier("My Blocks/x")).toBeUndefined();
  });

  it("a package's exports may not point outside it, nor may its modules' relative imports", () => {
    const files = {
      "node_modules/evil/package.json": JSON.stringify({ name: "evil", exports: { "./x": "../../secret.sim" } }),
      "secret.sim": "block s() {\n  relu()\n}\n",
      "node_modules/leaky/package.json": JSON.stringify({ name: "leaky", simc: "." }),
      "node_modules/leaky/a.sim": `import { s } from "../../secret.sim";\nblock a() {\n  s()\n}\n`,
      "package.json": "{}",
      "main.sim": `import { a } from "leaky/a";\nimport { x } from "evil/x";\n`,
    };
    const resolved = resolvePackageImport("evil/x", base, host(files));
    expect(resolved.ok).toBe(false);
    expect(!resolved.ok && resolved.code).toBe("SIM1013");
    const result = checkEntry("main.sim", { host: host(files), cwd: base });
    const escapes = result.diagnostics.filter((d) => d.code === "SIM1013");
    expect(escapes.map((d) => d.file).sort()).toEqual(["main.sim", "node_modules/leaky/a.sim"]);
  });

  it("reports a cycle between packages", () => {
    const files = {
      "node_modules/pa/package.json": JSON.stringify({ name: "pa", simc: "sim" }),
      "node_modules/pa/sim/a.sim": `import { b } from "pb/b";\nblock a() {\n  b()\n}\n`,
      "node_modules/pb/package.json": JSON.stringify({ name: "pb", simc: "sim" }),
      "node_modules/pb/sim/b.sim": `import { a } from "pa/a";\nblock b() {\n  a()\n}\n`,
      "package.json": "{}",
      "main.sim": `import { a } from "pa/a";\n`,
    };
    const result = checkEntry("main.sim", { host: host(files), cwd: base });
    const cycle = result.diagnostics.find((d) => d.code === "SIM1003");
    expect(cycle?.message).toBe("import cycle: node_modules/pa/sim/a.sim → node_modules/pb/sim/b.sim → node_modules/pa/sim/a.sim");
  });

  it("reads exports subpaths, condition objects and the simc main module", () => {
    const files = {
      "node_modules/@lab/blocks/package.json": JSON.stringify({
        name: "@lab/blocks",
        exports: { ".": { simc: "./index.sim" }, "./vgg": "./src/vgg.sim" },
      }),
      "node_modules/@lab/blocks/index.sim": "",
      "node_modules/@lab/blocks/src/vgg.sim": "",
      "node_modules/mainly/package.json": JSON.stringify({ name: "mainly", simc: { dir: "lib", main: "all" } }),
      "node_modules/mainly/lib/all.sim": "",
    };
    const h = host(files);
    const id = (spec: string) => {
      const r = resolvePackageImport(spec, join(base, "src"), h);
      return r.ok ? r.id : r.code;
    };
    expect(id("@lab/blocks")).toBe(join(base, "node_modules/@lab/blocks/index.sim"));
    expect(id("@lab/blocks/vgg")).toBe(join(base, "node_modules/@lab/blocks/src/vgg.sim"));
    expect(id("@lab/blocks/other")).toBe("SIM1012");
    expect(id("mainly")).toBe(join(base, "node_modules/mainly/lib/all.sim"));
  });
});
