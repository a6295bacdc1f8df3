/**
 * What every model rule sees: the model's declaration, its module's names, the reporter, and
 * the draft of the checked model that earlier rules have filled in. Rules run in order
 * (`check-model.ts`); each reads what it needs from the draft and adds its own part.
 */
import type { DataDescription } from "../../vocabulary/data-forms/types.js";
import type { Expr, ModelDecl, ModelItem, Property, Section, SourceLocation, Statement } from "../../grammar/ast.js";
import { bindArguments, type BindContext } from "../arguments.js";
import type { ModuleScope } from "../bind.js";
import type {
  BackwardSpec,
  CellSpec,
  EmbedSpec,
  LiftSpec,
  Origin,
  ParamTotals,
  Shape,
  SimVariant,
  SolverSpec,
  Task,
  TrainSpec,
} from "../checked-model.js";
import type { SettingsDef } from "../deq-catalogue.js";
import type { CheckerCode } from "../../core/diagnostic-codes.js";
import { evaluate, type EvalEnv } from "../evaluate.js";
import type { ExpandEnv, SequenceResult } from "../expand.js";
import type { Place, ReportExtras, Reporter } from "../reporter.js";
import { didYouMean } from "../../core/suggest.js";
import { describeValue, type EvalArg, type EvalValue } from "../values.js";

export interface ModelDraft {
  input?: Shape;
  task?: Task;
  /** `target:` as written. */
  target?: { value: "sim" | "deq"; at: Place };
  basis?: SequenceResult;
  /** `embed: rff(…)` with its settings bound (r may still be unknown). */
  embedArgs?: { n: number; r?: number; sigma: number; kernel: "gauss" | "laplace"; features: "cossin" | "cosbias"; at: Place };
  /** `lift: koopman(…)` as written. */
  liftArgs?: { m?: number; r?: number; at: Place; mAt?: Place; rAt?: Place };
  variant: SimVariant;
  /** The features the projection acts on (ψ(x), φ(ψ(x)) or φ(x)); the surrogate's input. */
  lifted?: Shape;
  lift?: LiftSpec;
  embed?: EmbedSpec;
  surrogate?: SequenceResult;
  cell?: CellSpec;
  solver?: SolverSpec;
  backward?: BackwardSpec;
  /** The derived cell ϕ(K·(u + A z)) is available (SIM parts whose ϕ keeps u's leading axes). */
  derivable: boolean;
  head?: SequenceResult;
  train?: TrainSpec;
  data?: DataDescription;
  targets: { sim?: ParamTotals; deq?: ParamTotals };
  defaultTarget?: "sim" | "deq";
  /** A part failed badly enough that later rules cannot build on it (already reported). */
  broken: boolean;
}

export class ModelContext {
  readonly items = new Map<string, ModelItem>();
  readonly draft: ModelDraft = { variant: "none", derivable: false, targets: {}, broken: false };

  constructor(
    readonly decl: ModelDecl,
    readonly scope: ModuleScope,
    readonly env: ExpandEnv,
  ) {}

  get reporter(): Reporter {
    return this.env.reporter;
  }

  get file(): string {
    return this.scope.module.display;
  }

  get name(): string {
    return this.decl.name?.name ?? "";
  }

  place(loc: SourceLocation): Place {
    return { file: this.file, loc };
  }

  origin(loc: SourceLocation): Origin {
    return { file: this.file, line: loc.line, column: loc.column };
  }

  /** Where the model's name is written: the place for problems about the model as a whole. */
  get modelPlace(): Place {
    return this.place((this.decl.name ?? this.decl).loc);
  }

  report(code: CheckerCode, at: Place, message: string, extras: ReportExtras = {}): void {
    this.reporter.report(code, at, message, extras);
  }

  /** Model-level expressions see no variables. */
  evalEnv(): EvalEnv {
    return { file: this.file, scope: new Map(), reporter: this.reporter };
  }

  evaluate(expr: Expr | undefined): EvalValue | undefined {
    return evaluate(expr, this.evalEnv());
  }

  bindContext(): BindContext {
    return { reporter: this.reporter, scopeNames: [] };
  }

  property(key: string): Property | undefined {
    const item = this.items.get(key);
    return item?.kind === "Property" ? item : undefined;
  }

  section(key: string): Section | undefined {
    const item = this.items.get(key);
    return item?.kind === "Section" ? item : undefined;
  }
}

/** A name with optional settings: `anderson` or `anderson(memory: 6)`. */
export interface Configured {
  name: string;
  callee: Place;
  args: EvalArg[];
  at: Place;
}

/** Reads a configured value; reports anything else as a type error about `what`. */
export function configured(value: EvalValue | undefined, what: string, example: string, ctx: ModelContext): Configured | undefined {
  if (!value) return undefined;
  if (value.kind === "symbol") return { name: value.name, callee: value.at, args: [], at: value.at };
  if (value.kind === "call") return { name: value.name, callee: value.callee, args: value.args, at: value.at };
  ctx.report("SIM2004", value.at, `${what} expects a name such as ${example}, got ${describeValue(value)}`);
  return undefined;
}

/**
 * Looks a configured value up in a table and binds its settings; reports unknown names
 * (with `unknownCode`, the valid names and a suggestion) and unknown settings (SIM4012).
 */
export function bindConfigured(
  value: Configured,
  table: ReadonlyMap<string, SettingsDef>,
  what: string,
  unknownCode: CheckerCode,
  ctx: ModelContext,
): { def: SettingsDef; settings: Record<string, EvalValue> } | undefined {
  const def = table.get(value.name);
  if (!def) {
    const names = [...table.keys()];
    ctx.report(unknownCode, value.callee, `unknown ${what} '${value.name}'${didYouMean(value.name, names)}`, {
      hint: `valid ${what}s: ${names.join(", ")}`,
    });
    return undefined;
  }
  const settings = bindArguments(
    { label: `${what} ${def.name}`, at: value.callee, unknownCode: "SIM4012", noun: "setting" },
    def.settings,
    value.args,
    ctx.bindContext(),
  );
  return settings ? { def, settings } : undefined;
}

/**
 * The `key: value` settings of a section (deq, train): the first of each key, in order.
 * Reports duplicates, statements that are not settings, and keys outside `known`.
 */
export function sectionSettings(
  section: Section,
  known: readonly string[],
  unknownCode: CheckerCode,
  ctx: ModelContext,
): Map<string, Property> {
  const settings = new Map<string, Property>();
  const visit = (statements: readonly Statement[]) => {
    for (const statement of statements) {
      if (statement.kind !== "Property") {
        ctx.report(
          "SIM2020",
          ctx.place(statement.loc),
          `a ${section.key.name} section holds 'key: value' settings, not ${statement.kind === "CallStatement" ? "layers" : "statements"}`,
          { hint: `for example ${known[0]}: …` },
        );
        continue;
      }
      const key = statement.key?.name ?? "";
      if (key === "") continue;
      if (!known.includes(key)) {
        ctx.report(unknownCode, ctx.place(statement.key.loc), `unknown ${section.key.name} setting '${key}'${didYouMean(key, known)}`, {
          hint: `a ${section.key.name} section holds ${known.join(", ")}`,
        });
        continue;
      }
      const previous = settings.get(key);
      if (previous) {
        ctx.report("SIM4004", ctx.place(statement.key.loc), `'${key}' is set twice in ${section.key.name}`, {
          related: [{ ...ctx.place(previous.key.loc), message: "first set here" }],
        });
        continue;
      }
      settings.set(key, statement);
    }
  };
  visit(section.body);
  return settings;
}

export function lastAxis(shape: Shape): number {
  return shape[shape.length - 1];
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export type ModelRule = (ctx: ModelContext) => void;
