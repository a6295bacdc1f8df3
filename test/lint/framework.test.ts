/**
 * The rule framework: one rule per file with the documented shape, rules merged into a single
 * traversal with graphql-js style handlers, model checks paired with their declarations, and
 * reports turned into located diagnostics.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Node } from "../../grammar/ast.js";
import { parseDocument } from "../../grammar/parse.js";
import * as visitor from "../../grammar/visitor.js";
import { checkSource } from "../../compiler/check.js";
import { lintDocument } from "../../lint/lint-document.js";
import { lintFile, lintSource } from "../../lint/lint-file.js";
import { lintRules } from "../../lint/rules/index.js";
import { runRules } from "../../lint/run-rules.js";
import type { LintRule } from "../../lint/types.js";
import { FIXTURES, findings } from "./helpers.js";
import { readFileSync } from "node:fs";

const RULES_DIR = join(import.meta.dirname, "..", "..", "lint", "rules");

const SOURCE = `block mlp(units: int) {
  dense(units: units)
  relu()
}

model digits {
  input: [28, 28, 1]
  task: classify(classes: 10)
  basis {
    flatten()
    mlp(units: 32)
  }
  surrogate { dense(units: 16) }
  train { data: mnist }
}
`;

describe("rule modules", () => {
  it("each file under rules/ exports exactly one rule, named like the file, and all are registered", async () => {
    const files = readdirSync(RULES_DIR).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    expect(files.length).toBe(lintRules.length);
    for (const file of files) {
      const module = (await import(join(RULES_DIR, file))) as Record<string, unknown>;
      const rules = Object.values(module).filter((v): v is LintRule => typeof v === "object" && v !== null && "create" in v);
      expect(rules, file).toHaveLength(1);
      const rule = rules[0];
      expect(`${rule.id}.ts`).toBe(file);
      expect(rule.id).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
      expect(["warn", "error"]).toContain(rule.defaultSeverity);
      expect(rule.docs.description.length).toBeGreaterThan(80);
      expect(rule.docs.description).not.toContain("\n\n");
      expect(lintRules).toContain(rule);
    }
  });

  it("rule ids are unique", () => {
    const ids = lintRules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe("runRules", () => {
  const parsed = parseDocument(SOURCE, "digits.sim");
  const checked = checkSource(SOURCE, "digits.sim");

  it("calls enter and leave handlers by kind, in source order, with ancestors", () => {
    const events: string[] = [];
    const probe: LintRule = {
      id: "probe",
      defaultSeverity: "warn",
      docs: { description: "test" },
      create(context) {
        return {
          visitor: {
            BlockDecl: { enter: (n) => events.push(`enter block ${n.name.name}`), leave: (n) => events.push(`leave block ${n.name.name}`) },
            CallExpr(n) {
              const kinds = context.ancestors().map((a: Node) => a.kind);
              events.push(`call ${n.callee.name} in ${kinds[1]}`);
            },
          },
        };
      },
    };
    runRules({ file: "digits.sim", text: SOURCE, document: parsed.document, models: [], rules: [{ rule: probe, severity: "warn" }] });
    expect(events).toEqual([
      "enter block mlp",
      "call dense in BlockDecl",
      "call relu in BlockDecl",
      "leave block mlp",
      "call classify in ModelDecl",
      "call flatten in ModelDecl",
      "call mlp in ModelDecl",
      "call dense in ModelDecl",
    ]);
  });

  it("pairs each checked model with its declaration and turns reports into diagnostics", () => {
    expect(checked.models.map((m) => m.name)).toEqual(["digits"]);
    const probe: LintRule = {
      id: "model-probe",
      defaultSeverity: "warn",
      docs: { description: "test" },
      create(context) {
        return {
          model(model, decl) {
            context.report({ node: decl.name, message: `${model.name} has ${model.basis.length} basis layers`, hint: "none" });
          },
        };
      },
    };
    const [d] = runRules({
      file: "digits.sim",
      text: SOURCE,
      document: parsed.document,
      models: checked.models,
      rules: [{ rule: probe, severity: "error" }],
    });
    expect(d).toMatchObject({
      code: "lint/model-probe",
      rule: "model-probe",
      severity: "error",
      file: "digits.sim",
      message: "digits has 3 basis layers",
      hint: "none",
    });
    expect([d.loc.line, d.loc.column, d.loc.endColumn]).toEqual([6, 7, 13]);
  });

  it("runs every rule in a single traversal of the file", () => {
    const spy = vi.spyOn(visitor, "visit");
    try {
      lintDocument({
        file: "digits.sim",
        text: SOURCE,
        document: parsed.document,
        models: checked.models,
        rules: lintRules,
        config: { rules: {}, diagnostics: [] },
      });
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});

describe("lintSource", () => {
  it("lints unsaved text like the file it stands for, checker diagnostics included", () => {
    const file = join(FIXTURES, "unused-block", "fail.sim");
    const text = readFileSync(file, "utf8");
    expect(lintSource(text, file)).toEqual(lintFile(file).diagnostics);
    const edited = text.replace("narrow_mlp(out: 16)", "wide_mlp(out: 16)\n    relu(units: 3)");
    const diagnostics = lintSource(edited, file);
    expect(findings(diagnostics)).toEqual(["unused-block warning 2:7"]);
    // The checker's error about relu(units: 3), on the edited text's line 23.
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => [d.code.slice(0, 4), d.loc.line])).toEqual([["SIM2", 23]]);
  });
});
