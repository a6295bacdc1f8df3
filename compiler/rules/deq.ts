/**
 * DeqRule: validates `deq { cell, solver, backward }` against the DEQ catalogue and lays out
 * the cell's parameters (`vocabulary/cells.ts`). Without a `cell`, the DEQ target derives
 * f(z, x) = ϕ(K·(u + A z)) from the SIM parts, which needs ϕ to keep the lifted features'
 * leading axes. A solver that cannot solve the cell (splitting on a non-monotone cell,
 * `alpha: auto` without an ℓ∞ cell) is an error.
 */
import { stateKind } from "../../vocabulary/cell-families.js";
import type { Expr } from "../../grammar/ast.js";
import { bindArguments } from "../arguments.js";
import { cellLayout } from "../../vocabulary/cells.js";
import type { CellFamily, Shape } from "../checked-model.js";
import {
  backwardModes,
  CELLS,
  defaultSolverFor,
  PCDEQ_PAIRS,
  solverCellProblem,
  SOLVERS,
  type SettingsDef,
} from "../deq-catalogue.js";
import { formatShape } from "../layers/index.js";
import type { Place } from "../reporter.js";
import { toValueRecord, type EvalValue } from "../values.js";
import { bindConfigured, configured, sameShape, sectionSettings, type ModelContext } from "./context.js";

const DEQ_KEYS = ["cell", "solver", "backward"];

export function DeqRule(ctx: ModelContext): void {
  const d = ctx.draft;
  const section = ctx.section("deq");
  const phi = d.surrogate?.shape;
  const lifted = d.lifted;
  d.derivable =
    d.variant !== "none" &&
    !d.broken &&
    !!lifted &&
    !!phi &&
    (d.surrogate?.layers.length ?? 0) > 0 &&
    sameShape(phi.slice(0, -1), lifted.slice(0, -1));

  if (!section) {
    // Only the derived cell is possible: give it the default solver and gradient.
    if (d.derivable) solveWith(ctx, "derived", undefined, undefined, ctx.modelPlace);
    return;
  }
  const settings = sectionSettings(section, DEQ_KEYS, "SIM4018", ctx);
  const sectionAt = ctx.place(section.key.loc);

  let family: CellFamily | "derived" | undefined;
  const cellProperty = settings.get("cell");
  if (cellProperty) {
    family = explicitCell(ctx, ctx.evaluate(cellProperty.value));
    if (!family) d.broken = true;
  } else if (d.derivable) {
    family = "derived";
  } else if (!d.broken && !misspeltKey(section.body)) {
    if (d.variant === "none") {
      ctx.report("SIM4017", sectionAt, `the deq target needs a cell: model '${ctx.name}' has no SIM parts to derive one from`, {
        hint: "add cell: dense(units: 64) (or monotone(…), pcdeq(…), linf(…))",
      });
    } else if (phi && lifted) {
      ctx.report(
        "SIM4017",
        sectionAt,
        `the derived cell feeds ϕ's output ${formatShape(phi)} back onto the lifted features ${formatShape(lifted)}, but ϕ changes their leading axes`,
        { hint: "keep ϕ to per-position layers, or declare cell: … in this section" },
      );
    }
    d.broken = true;
  }
  // Even when the cell failed, the solver and backward settings are checked on their own.
  solveWith(ctx, family, settings.get("solver")?.value, settings.get("backward")?.value, sectionAt);
}

/** An unknown key (reported) may be the misspelt cell: then "no cell" would only repeat it. */
function misspeltKey(body: readonly { kind: string; key?: { name: string } }[]): boolean {
  return body.some((s) => s.kind === "Property" && s.key !== undefined && !DEQ_KEYS.includes(s.key.name));
}

/** Binds and checks the solver and backward mode (defaults when not written). */
function solveWith(
  ctx: ModelContext,
  family: CellFamily | "derived" | undefined,
  solverExpr: Expr | undefined,
  backwardExpr: Expr | undefined,
  defaultAt: Place,
): void {
  const d = ctx.draft;
  const solver = bindOrDefault(ctx, solverExpr, SOLVERS, defaultSolverFor(family ?? "derived"), "solver", "anderson(memory: 6)", "SIM4011", defaultAt);
  if (!solver) return void (d.broken = true);
  if (!family) {
    bindOrDefault(ctx, backwardExpr, backwardModes(solver.name), "implicit", "backward mode", "implicit()", "SIM4013", defaultAt);
    return;
  }
  const alpha = solver.settings.alpha;
  const problem = solverCellProblem(
    solver.name,
    family,
    alpha?.kind === "symbol" ? alpha.name : alpha?.kind === "float" ? alpha.value : undefined,
  );
  if (problem) {
    ctx.report("SIM4015", solver.at, problem.message, { hint: problem.hint });
    return void (d.broken = true);
  }
  const backward = bindOrDefault(ctx, backwardExpr, backwardModes(solver.name), "implicit", "backward mode", "implicit()", "SIM4013", defaultAt);
  if (!backward) return void (d.broken = true);
  const backwardSolver = backward.settings.solver;
  if (backwardSolver?.kind === "symbol") {
    const backwardProblem = solverCellProblem(backwardSolver.name, family);
    if (backwardProblem) {
      ctx.report("SIM4015", backwardSolver.at, `the implicit backward's solver: ${backwardProblem.message}`, { hint: backwardProblem.hint });
      return void (d.broken = true);
    }
  }
  d.solver = { name: solver.name, settings: toValueRecord(solver.settings), origin: ctx.origin(solver.at.loc) };
  d.backward = { mode: backward.name, settings: toValueRecord(backward.settings), origin: ctx.origin(backward.at.loc) };
}

function bindOrDefault(
  ctx: ModelContext,
  expr: Expr | undefined,
  table: ReadonlyMap<string, SettingsDef>,
  fallback: string,
  what: string,
  example: string,
  unknownCode: "SIM4011" | "SIM4013",
  defaultAt: Place,
): { name: string; settings: Record<string, EvalValue>; at: Place } | undefined {
  if (expr) {
    const value = configured(ctx.evaluate(expr), what, example, ctx);
    if (!value) return undefined;
    const bound = bindConfigured(value, table, what, unknownCode, ctx);
    return bound ? { name: bound.def.name, settings: bound.settings, at: value.callee } : undefined;
  }
  const def = table.get(fallback)!;
  const settings = bindArguments({ label: `${what} ${fallback}`, at: defaultAt }, def.settings, [], ctx.bindContext());
  return settings ? { name: fallback, settings, at: defaultAt } : undefined;
}

/** Binds an explicit cell and lays out its parameters; returns its family, or undefined (reported). */
function explicitCell(ctx: ModelContext, raw: EvalValue | undefined): CellFamily | undefined {
  const d = ctx.draft;
  const value = configured(raw, "cell", "dense(units: 64)", ctx);
  if (!value) return undefined;
  const bound = bindConfigured(value, CELLS, "cell", "SIM4014", ctx);
  if (!bound) return undefined;
  const family = bound.def.name as CellFamily;
  const s = bound.settings;
  const int = (name: string) => (s[name]?.kind === "int" ? (s[name] as { value: number }).value : undefined);
  const symbol = (name: string) => (s[name]?.kind === "symbol" ? (s[name] as { name: string }).name : undefined);

  const kind = stateKind(family, symbol("kind"));
  if (family === "monotone" || family === "pcdeq") {
    const size = kind === "conv" ? "channels" : "units";
    const other = kind === "conv" ? "units" : "channels";
    let ok = true;
    if (s[other]) {
      ctx.report("SIM4012", s[other].at, `'${other}' applies to ${kind === "conv" ? "dense" : "conv"} cells; this ${family} cell has kind: ${kind}`, {
        hint: `use ${size}: …${kind === "dense" ? ", or kind: conv" : ""}`,
      });
      ok = false;
    }
    if (!s[size]) {
      ctx.report("SIM4028", value.callee, `a ${family} cell of kind ${kind} needs '${size}', the size of its state`, {
        hint: `for example ${family}(kind: ${kind}, ${size}: 64)`,
      });
      ok = false;
    }
    if (!ok) return undefined;
  }
  if (family === "pcdeq") {
    const injection = symbol("injection") ?? "softplus";
    const activation = symbol("activation") ?? "tanh";
    if (!PCDEQ_PAIRS[injection]?.includes(activation)) {
      ctx.report(
        "SIM4027",
        (s.activation ?? s.injection).at,
        `pcDEQ with a ${injection} injection needs ${PCDEQ_PAIRS[injection].join(", ")} as activation, not ${activation}`,
        { hint: "pcDEQ-1: injection: softplus with tanh, softsign or relu6; pcDEQ-2: injection: relu with sigmoid" },
      );
      return undefined;
    }
  }

  const basis = ctx.section("basis");
  const injection: Shape | undefined = basis ? d.basis?.shape : d.input;
  if (!injection) return family; // reported upstream; settings are still checked
  if (kind === "conv" && injection.length !== 3) {
    ctx.report(
      "SIM3008",
      value.callee,
      `${family === "conv" ? "a conv cell" : `a ${family} cell of kind conv`} needs an image injection [height, width, channels], but ${basis ? "ψ(x)" : "the input"} is ${formatShape(injection)}`,
      { hint: kind === "conv" && family !== "conv" ? "use kind: dense (the injection is flattened)" : "use cell: dense(units: …)" },
    );
    return undefined;
  }
  const layout = cellLayout(
    family,
    { kind, units: int("units"), channels: int("channels"), kernel: int("kernel"), norm: symbol("norm") },
    injection,
  );
  d.cell = {
    family,
    args: toValueRecord(s),
    injectionShape: [...injection],
    stateShape: layout.stateShape,
    params: layout.params,
    origin: ctx.origin(value.callee.loc),
  };
  const phi = d.surrogate?.shape;
  if (d.variant !== "none" && phi && !sameShape(phi, layout.stateShape)) {
    ctx.report(
      "SIM3007",
      value.callee,
      `the cell's state ${formatShape(layout.stateShape)} differs from the surrogate's output ${formatShape(phi)}, and the head reads both`,
      { hint: "give the cell the surrogate's width, or declare the DEQ in a model without SIM parts" },
    );
    return undefined;
  }
  return family;
}
