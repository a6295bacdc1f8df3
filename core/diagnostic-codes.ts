/**
 * The diagnostic catalogue: every code simc's front end can emit, with its severity, a short
 * title and a one-line explanation. Codes are stable: tools and tests match on them, and
 * `docs/diagnostics.md` is generated from this table (`renderDiagnosticsMarkdown`).
 *
 * Ranges: SIM0xxx syntax (the parser's own table, merged in below), SIM1xxx modules and imports,
 * SIM2xxx names, arguments and types, SIM3xxx shapes, SIM4xxx model structure, DEQ and training
 * settings, SIM5xxx lowering and IR files (lowering's table, merged in), SIM6xxx runtime failures
 * (the runtime's table, merged in), SIM7xxx files, outputs, flags and resources
 * (`core/codes/guard.ts`, merged in), SIM80xx analysis and SIM81xx export (their tables, merged in), SIM9xxx internal.
 */
import { EXPORT_CODE_INFO } from "./codes/export.js";
import { syntaxCodeTable } from "./codes/syntax.js";
import { IR_CODE_INFO } from "./codes/ir.js";
import { GUARD_CODE_INFO } from "./codes/guard.js";
import { RUNTIME_CODE_INFO } from "./codes/runtime.js";
import { ANALYSIS_CODE_INFO } from "./codes/analysis.js";
import type { Severity } from "./diagnostic.js";

export interface CodeInfo {
  severity: Severity;
  title: string;
  explanation: string;
}

const CHECKER_CODES = {
  // ── SIM1xxx: modules and imports ─────────────────────────────────────────────────────────
  SIM1001: {
    severity: "error",
    title: "cannot read file",
    explanation: "The file given on the command line does not exist or cannot be read.",
  },
  SIM1002: {
    severity: "error",
    title: "imported file not found",
    explanation: "A relative import names a file that does not exist (paths resolve against the importing file).",
  },
  SIM1003: {
    severity: "error",
    title: "import cycle",
    explanation: "Modules import each other in a circle; blocks must form an acyclic import graph.",
  },
  SIM1004: {
    severity: "error",
    title: "import outside the project",
    explanation:
      "An import resolves outside the project root (nearest directory with package.json or simc.json) and outside the standard library.",
  },
  SIM1005: {
    severity: "error",
    title: "name not exported",
    explanation: "The imported module declares no block with this name.",
  },
  SIM1006: {
    severity: "error",
    title: "unknown standard-library module",
    explanation: "`std/NAME` names no file in simc's standard library.",
  },
  SIM1007: {
    severity: "error",
    title: "name imported twice",
    explanation: "Two imports, or an import and a block of the file, introduce the same local name.",
  },
  SIM1008: {
    severity: "error",
    title: "malformed import path",
    explanation: 'Import paths are `"std/NAME"`, relative paths starting with `./` or `../`, or packages as `"PKG/MODULE"`.',
  },
  SIM1009: {
    severity: "error",
    title: "models cannot be imported",
    explanation: "Only blocks are shared between modules; a model is checked and trained from its own file.",
  },
  SIM1010: {
    severity: "error",
    title: "nothing to check",
    explanation: "The file declares no model and no block.",
  },
  SIM1011: {
    severity: "error",
    title: "package not found",
    explanation:
      "`\"PKG/MODULE\"` names a package that is in no `node_modules` directory at or above the importing file (install it with npm).",
  },
  SIM1012: {
    severity: "error",
    title: "module not found in package",
    explanation:
      "The package exists but declares no such module: its package.json `simc` field (a directory of `.sim` files) or `exports` map does not lead to it.",
  },
  SIM1013: {
    severity: "error",
    title: "import leaves its package",
    explanation:
      "A package's declaration or one of its modules' relative imports points outside the package's directory, or its package.json cannot be read.",
  },

  // ── SIM2xxx: names, arguments, types ─────────────────────────────────────────────────────
  SIM2001: {
    severity: "error",
    title: "unknown layer or block",
    explanation: "A statement calls a name that is neither a built-in layer nor a block declared or imported here.",
  },
  SIM2002: {
    severity: "error",
    title: "unknown name",
    explanation: "An expression uses a name that is not a parameter or loop variable in scope.",
  },
  SIM2003: {
    severity: "error",
    title: "unknown argument",
    explanation: "A layer, block or setting was given an argument it does not declare.",
  },
  SIM2004: {
    severity: "error",
    title: "wrong argument type",
    explanation: "An argument's value has the wrong type (for example a float where an int is required).",
  },
  SIM2005: {
    severity: "error",
    title: "missing argument",
    explanation: "A required argument (one without a default) was not given.",
  },
  SIM2006: {
    severity: "error",
    title: "argument given twice or too many arguments",
    explanation: "An argument was given both positionally and by name, twice by name, or beyond the declared ones.",
  },
  SIM2007: {
    severity: "error",
    title: "duplicate declaration",
    explanation: "Two blocks or two models share a name, or a block reuses a built-in layer's name.",
  },
  SIM2008: {
    severity: "error",
    title: "duplicate parameter",
    explanation: "A block declares the same parameter name twice.",
  },
  SIM2009: {
    severity: "error",
    title: "unknown type",
    explanation: "A parameter type is not int, float, bool, string, shape or an enum `a | b`.",
  },
  SIM2010: {
    severity: "error",
    title: "positional argument after a named one",
    explanation: "Positional arguments must come before named arguments.",
  },
  SIM2011: {
    severity: "error",
    title: "value out of range",
    explanation: "A number is outside the range the argument accepts (for example zero channels).",
  },
  SIM2012: {
    severity: "error",
    title: "not one of the allowed values",
    explanation: "An enum-valued argument received a name that is not one of its members.",
  },
  SIM2013: {
    severity: "error",
    title: "invalid operands",
    explanation: "An operator was applied to values it does not accept (for example `true + 1`).",
  },
  SIM2014: {
    severity: "error",
    title: "division by zero",
    explanation: "An expression divides by zero or takes a remainder by zero.",
  },
  SIM2015: {
    severity: "error",
    title: "block recursion too deep",
    explanation: "A block applies itself (directly or through others) without reaching a base case.",
  },
  SIM2016: {
    severity: "error",
    title: "invalid repeat",
    explanation: "A repeat count or range bound is not a non-negative integer, or the loop is too long.",
  },
  SIM2017: {
    severity: "error",
    title: "condition is not a bool",
    explanation: "`if` conditions must evaluate to true or false.",
  },
  SIM2018: {
    severity: "error",
    title: "model too large",
    explanation: "Expansion produced more layers than simc accepts; a repeat or recursion is probably wrong.",
  },
  SIM2019: {
    severity: "error",
    title: "setting where a layer was expected",
    explanation: "A `key: value` statement appears in a layer sequence; settings belong in `deq` or `train`.",
  },
  SIM2020: {
    severity: "error",
    title: "layer where a setting was expected",
    explanation: "A `deq` or `train` section holds only `key: value` settings.",
  },
  SIM2021: {
    severity: "error",
    title: "non-finite number",
    explanation: "An expression evaluated to infinity or NaN, or an integer too large to represent exactly.",
  },
  SIM2022: {
    severity: "error",
    title: "loop variable shadows a name",
    explanation: "A `repeat i in a..b` variable reuses the name of a parameter or an enclosing loop variable.",
  },

  // ── SIM3xxx: shapes ─────────────────────────────────────────────────────────────────────
  SIM3001: {
    severity: "error",
    title: "layer cannot take this shape",
    explanation: "A layer received an input whose rank or size it does not accept; the message says what it expects.",
  },
  SIM3002: {
    severity: "error",
    title: "input too small",
    explanation: "A kernel or pooling window is larger than the input it slides over, leaving an empty output.",
  },
  SIM3003: {
    severity: "error",
    title: "residual branches differ",
    explanation: "The two branches of `residual { … } shortcut { … }` must produce the same shape to be summed.",
  },
  SIM3004: {
    severity: "error",
    title: "head does not match the task",
    explanation: "The head's last axis must equal the task's classes (classification) or outputs (regression).",
  },
  SIM3005: {
    severity: "error",
    title: "lift dimension mismatch",
    explanation: "`koopman(m: …)` must equal the width of what it lifts (ψ's output, or n for RFF-only models).",
  },
  SIM3006: {
    severity: "error",
    title: "basis does not end in features",
    explanation: "The basis ψ must produce a vector [m] or a sequence [length, m] for the lift to act on.",
  },
  SIM3007: {
    severity: "error",
    title: "cell state does not fit the head",
    explanation: "With both SIM parts and an explicit cell, the head reads the surrogate's output and z*; their shapes must agree.",
  },
  SIM3008: {
    severity: "error",
    title: "cell cannot take this injection",
    explanation: "A conv-kind DEQ cell needs an image injection [height, width, channels].",
  },
  SIM3009: {
    severity: "error",
    title: "shape too large",
    explanation: "A shape has more elements than simc can represent.",
  },

  // ── SIM4xxx: model structure, DEQ and training settings ──────────────────────────────────
  SIM4001: {
    severity: "error",
    title: "missing input",
    explanation: "Every model declares `input: [d, …]`, its input shape without the batch dimension.",
  },
  SIM4002: {
    severity: "error",
    title: "missing task",
    explanation: "Every model declares `task: classify(classes: N)` or `task: regress(outputs: N)`.",
  },
  SIM4003: {
    severity: "error",
    title: "unknown model item",
    explanation: "A model holds input, task, target, basis, lift, embed, surrogate, head, deq and train only.",
  },
  SIM4004: {
    severity: "error",
    title: "item given twice",
    explanation: "A model item or a setting appears more than once.",
  },
  SIM4005: {
    severity: "error",
    title: "item in the wrong form",
    explanation: "Sections (`basis { … }`) and properties (`input: …`) are not interchangeable.",
  },
  SIM4006: {
    severity: "error",
    title: "invalid input shape",
    explanation: "`input` is a list of 1 to 3 positive integers.",
  },
  SIM4007: {
    severity: "error",
    title: "invalid task",
    explanation: "`task` is `classify(classes: N)` with N ≥ 2 or `regress(outputs: N)` with N ≥ 1.",
  },
  SIM4008: {
    severity: "error",
    title: "invalid projection rank",
    explanation: "The rank r of a Koopman projection must satisfy 1 ≤ r ≤ m (for embeddings, 1 ≤ r ≤ n).",
  },
  SIM4009: {
    severity: "info",
    title: "full-rank projection",
    explanation: "r equals m: C·B is an unconstrained square map rather than a low-rank projection.",
  },
  SIM4010: {
    severity: "error",
    title: "incomplete SIM",
    explanation: "A SIM needs a basis or an embedding to lift from, and a surrogate ϕ.",
  },
  SIM4011: {
    severity: "error",
    title: "unknown solver",
    explanation: "`deq { solver: … }` names a solver simc does not provide.",
  },
  SIM4012: {
    severity: "error",
    title: "unknown setting",
    explanation: "A solver, backward mode, cell, optimizer, schedule or data set was given a setting it does not have.",
  },
  SIM4013: {
    severity: "error",
    title: "unknown backward mode",
    explanation: "`deq { backward: … }` names a gradient mode simc does not provide.",
  },
  SIM4014: {
    severity: "error",
    title: "unknown cell",
    explanation: "`deq { cell: … }` names a cell family simc does not provide.",
  },
  SIM4015: {
    severity: "error",
    title: "cell and solver do not fit",
    explanation:
      "The solver cannot be used with this cell (splitting solvers need a monotone cell; `alpha: auto` needs an ℓ∞ cell).",
  },
  SIM4016: {
    severity: "error",
    title: "no model to build",
    explanation: "The model has neither SIM parts (basis/embed, surrogate) nor an explicit DEQ cell.",
  },
  SIM4017: {
    severity: "error",
    title: "target not available",
    explanation: "`target:` asks for a target the model cannot be lowered to.",
  },
  SIM4018: {
    severity: "error",
    title: "unknown deq key",
    explanation: "A `deq` section holds only cell, solver and backward.",
  },
  SIM4019: {
    severity: "error",
    title: "unknown train key",
    explanation: "A `train` section holds data, loss, optimizer, schedule, batch, epochs, clip, validation, seed, limit and validate_every.",
  },
  SIM4020: {
    severity: "error",
    title: "unknown data set",
    explanation: "`train { data: … }` names a data set simc cannot load.",
  },
  SIM4021: {
    severity: "error",
    title: "unknown optimizer, schedule or loss",
    explanation: "`optimizer`, `schedule` and `loss` accept the names listed in the message.",
  },
  SIM4022: {
    severity: "error",
    title: "loss does not match the task",
    explanation: "Classification trains with cross_entropy, regression with mse.",
  },
  SIM4023: {
    severity: "error",
    title: "data does not match the model",
    explanation: "The data set's example shape or label count differs from the model's input or task.",
  },
  SIM4024: {
    severity: "error",
    title: "invalid embedding",
    explanation: "`embed: rff(…)` needs n ≥ 2 (even for cossin features) and a positive sigma.",
  },
  SIM4025: {
    severity: "warning",
    title: "setting has no effect",
    explanation: "The setting is accepted but ignored by this model (for example a first-tier rank in a two-tier SIM).",
  },
  SIM4026: {
    severity: "warning",
    title: "no training data",
    explanation: "The model has no `train { data: … }`; `simc train` will need `--data`.",
  },
  SIM4027: {
    severity: "error",
    title: "invalid pcDEQ pairing",
    explanation:
      "pcDEQ pairs a softplus injection with tanh, softsign or relu6 (pcDEQ-1) and a relu injection with sigmoid (pcDEQ-2).",
  },
  SIM4028: {
    severity: "error",
    title: "missing cell setting",
    explanation: "A DEQ cell lacks the size of its state (units for dense kinds, channels for conv kinds).",
  },
  SIM4029: {
    severity: "error",
    title: "unreadable data",
    explanation:
      "A data file that `data:` names exists but is malformed (the message gives the file and the line or byte) or does not say what to predict.",
  },

  SIM4060: {
    severity: "error",
    title: "model parameter without a default",
    explanation: "Every parameter of a model (`model m(sigma: float = 5.0) { … }`) needs a default: the model is trained as written, and a search substitutes sampled values for the defaults.",
  },
  SIM4061: {
    severity: "error",
    title: "unknown search key",
    explanation: "A `search` section varies model parameters and the train settings lr, batch, epochs, clip, schedule and optimizer, and is configured by metric, mode, scheduler, samples and seed.",
  },
  SIM4062: {
    severity: "error",
    title: "not a distribution",
    explanation: "A value a search varies takes choice(…), uniform(low, high), loguniform(low, high), randint(low, high) or qrandint(low, high, q); a search must vary at least one value.",
  },
  SIM4063: {
    severity: "error",
    title: "empty search range",
    explanation: "A range with low ≥ high (low > high for qrandint) or a choice with no values has nothing to draw from.",
  },
  SIM4064: {
    severity: "error",
    title: "distribution does not fit the value",
    explanation: "Every value a distribution can draw must be one the varied setting accepts: ints for int parameters, positive numbers for lr, schedule and optimizer names for schedule and optimizer.",
  },
  SIM4065: {
    severity: "error",
    title: "search metric does not fit the task",
    explanation: "val_accuracy needs a classification task and val_psnr a regression task; val_loss and train_loss fit both.",
  },
  // ── SIM9xxx: internal ───────────────────────────────────────────────────────────────────
  SIM9001: {
    severity: "error",
    title: "internal error",
    explanation: "simc failed on this input; the message says where. Please report it with the file.",
  },
  SIM9002: {
    severity: "info",
    title: "too many diagnostics",
    explanation: "simc stopped reporting problems in this file after the first ones.",
  },
} as const satisfies Record<string, CodeInfo>;

export type CheckerCode = keyof typeof CHECKER_CODES;

/** The parser's codes in the catalogue's form: `UnclosedDelimiter` → "unclosed delimiter". */
const SYNTAX_CODES: Record<string, CodeInfo> = Object.fromEntries(
  syntaxCodeTable.map((entry) => [
    entry.code,
    {
      severity: "error",
      title: entry.name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase(),
      explanation: entry.summary,
    } satisfies CodeInfo,
  ]),
);

/** Every code: the parser's (SIM0xxx), the checker's, lowering's and the IR reader's (SIM5xxx), the runtime's (SIM6xxx), files, outputs, flags and resources (SIM7xxx), analysis and export (SIM8xxx). */
export const DIAGNOSTIC_CODES: Readonly<Record<string, CodeInfo>> = {
  ...SYNTAX_CODES,
  ...CHECKER_CODES,
  ...IR_CODE_INFO,
  ...RUNTIME_CODE_INFO,
  ...GUARD_CODE_INFO,
  ...ANALYSIS_CODE_INFO,
  ...EXPORT_CODE_INFO,
};

export function codeInfo(code: string): CodeInfo | undefined {
  return Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, code) ? DIAGNOSTIC_CODES[code] : undefined;
}

export function checkerSeverity(code: CheckerCode): Severity {
  return CHECKER_CODES[code].severity;
}

/** The catalogue as Markdown (the body of `docs/diagnostics.md`). */
export function renderDiagnosticsMarkdown(): string {
  const lines = [
    "# Diagnostics",
    "",
    "Every problem simc reports carries a stable code, a severity, a location (file:line:column)",
    "and a message saying what is wrong and what would fix it. This page is generated from the",
    "catalogue in `core/diagnostic-codes.ts` (a test keeps the two in sync); edit the catalogue,",
    "not this page.",
    "",
    "Exit codes, the same for every command: **0** success (warnings allowed); **1** a problem in",
    "the user's input — specs, data, flags, paths, checkpoints, a run that diverged or does not fit",
    "the memory budget — reported with a code below; **2** a bug in simc (`internal error: …`),",
    "never the user's mistake.",
    "",
  ];
  const ranges: [string, string][] = [
    ["SIM0", "Syntax"],
    ["SIM1", "Modules and imports"],
    ["SIM2", "Names, arguments and types"],
    ["SIM3", "Shapes"],
    ["SIM4", "Model structure, DEQ and training settings"],
    ["SIM5", "Lowering"],
    ["SIM6", "Runtime: data, solvers, training, checkpoints, settings read from IR"],
    ["SIM7", "Files, outputs, command line and resources"],
    ["SIM8", "Analysis and export"],
    ["SIM9", "Internal"],
  ];
  const codes = Object.keys(DIAGNOSTIC_CODES).sort();
  for (const [prefix, heading] of ranges) {
    const inRange = codes.filter((c) => c.startsWith(prefix));
    if (inRange.length === 0) continue;
    lines.push(`## ${prefix}xxx — ${heading}`, "", "| code | severity | title | meaning |", "| --- | --- | --- | --- |");
    for (const code of inRange) {
      const info = DIAGNOSTIC_CODES[code];
      lines.push(`| ${code} | ${info.severity} | ${escapeCell(info.title)} | ${escapeCell(info.explanation)} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|");
}
