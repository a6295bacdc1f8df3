/**
 * Binding: per module, the blocks it declares and the blocks it imports (by local name), with
 * each block's parameter types resolved. Reports duplicate declarations, imports of names a
 * module does not declare, clashing local names, unknown parameter types and calls to names
 * that are neither built-in layers nor visible blocks — for every block, used or not.
 */
import type { BlockDecl, Expr, ModelDecl, ParamDecl, Statement, TypeRef } from "../grammar/ast.js";
import { reportUnknownArgument, T, type ArgType } from "./arguments.js";
import { LAYERS } from "./layers/index.js";
import type { Program, SourceModule } from "./modules.js";
import type { Place, Reporter } from "./reporter.js";
import { didYouMean } from "../core/suggest.js";

export interface BlockParam {
  name: string;
  type: ArgType;
  default?: Expr;
  decl: ParamDecl;
}

export interface BlockSymbol {
  name: string;
  decl: BlockDecl;
  module: SourceModule;
  params: BlockParam[];
}

export interface ModuleScope {
  module: SourceModule;
  /** Blocks declared in this module, by name. */
  declared: Map<string, BlockSymbol>;
  /**
   * Names callable here: declared and imported blocks. `null` marks an import that failed
   * (already reported), so calls through it are not reported again as unknown.
   */
  visible: Map<string, BlockSymbol | null>;
  models: ModelDecl[];
}

export interface BoundProgram {
  program: Program;
  scopes: Map<string, ModuleScope>;
  entry: ModuleScope;
}

/** Sections of a model that hold layer sequences (the others hold settings). */
export const LAYER_SECTIONS: readonly string[] = ["basis", "surrogate", "head"];

const TYPE_NAMES: Record<string, () => ArgType> = {
  int: () => T.int(),
  float: () => T.float(),
  bool: () => T.bool(),
  string: () => T.string(),
  shape: () => T.shape(),
};

export function unknownCalleeMessage(name: string, scope: ModuleScope): string {
  return `unknown layer or block '${name}'${didYouMean(name, [...LAYERS.keys(), ...scope.visible.keys()])}`;
}

export function bindProgram(program: Program, reporter: Reporter): BoundProgram {
  const scopes = new Map<string, ModuleScope>();
  for (const module of program.order) scopes.set(module.id, bindModule(module, scopes, reporter));
  return { program, scopes, entry: scopes.get(program.entry.id)! };
}

function bindModule(module: SourceModule, scopes: Map<string, ModuleScope>, reporter: Reporter): ModuleScope {
  const file = module.display;
  const at = (loc: Place["loc"]): Place => ({ file, loc });
  const scope: ModuleScope = { module, declared: new Map(), visible: new Map(), models: [] };
  const origins = new Map<string, Place>();

  // Imports first: their names are visible in the whole file.
  module.document.imports.forEach((decl, index) => {
    const targetId = module.importIds[index];
    const target = targetId ? scopes.get(targetId) : undefined;
    for (const spec of decl.specifiers) {
      if (!spec.imported || spec.imported.name === "") continue;
      const local = spec.local && spec.local.name !== "" ? spec.local : spec.imported;
      const previous = origins.get(local.name);
      if (previous) {
        reporter.report("SIM1007", at(local.loc), `'${local.name}' is already imported`, {
          hint: `rename one of them: import { ${spec.imported.name} as other_name } …`,
          related: [{ ...previous, message: "first imported here" }],
        });
        continue;
      }
      origins.set(local.name, at(local.loc));
      if (!target) {
        scope.visible.set(local.name, null); // the import itself failed and was reported
        continue;
      }
      const symbol = target.declared.get(spec.imported.name);
      if (symbol) {
        scope.visible.set(local.name, symbol);
        continue;
      }
      scope.visible.set(local.name, null);
      if (target.module.hasSyntaxErrors) continue; // the name may be lost to the syntax error reported there
      if (target.models.some((m) => m.name?.name === spec.imported.name)) {
        reporter.report("SIM1009", at(spec.imported.loc), `'${spec.imported.name}' is a model; only blocks can be imported`);
        continue;
      }
      const names = [...target.declared.keys()];
      reporter.report(
        "SIM1005",
        at(spec.imported.loc),
        `"${decl.source.value}" has no block '${spec.imported.name}'${didYouMean(spec.imported.name, names)}`,
        { hint: names.length ? `it declares: ${names.sort().join(", ")}` : "it declares no blocks" },
      );
    }
  });

  const modelNames = new Map<string, Place>();
  for (const declaration of module.document.declarations) {
    if (!declaration.name || declaration.name.name === "") continue;
    const name = declaration.name.name;
    const where = at(declaration.name.loc);
    if (declaration.kind === "ModelDecl") {
      const previous = modelNames.get(name);
      if (previous) {
        reporter.report("SIM2007", where, `model '${name}' is declared twice`, {
          related: [{ ...previous, message: "first declared here" }],
        });
        continue;
      }
      modelNames.set(name, where);
      scope.models.push(declaration);
      continue;
    }
    if (LAYERS.has(name)) {
      reporter.report("SIM2007", where, `block '${name}' has the name of a built-in layer`, {
        hint: `rename the block, e.g. my_${name}`,
      });
      continue;
    }
    const previous = origins.get(name);
    if (previous) {
      const imported = scope.visible.has(name) && !scope.declared.has(name);
      reporter.report(
        imported ? "SIM1007" : "SIM2007",
        where,
        imported ? `block '${name}' has the name of an imported block` : `block '${name}' is declared twice`,
        { related: [{ ...previous, message: imported ? "imported here" : "first declared here" }] },
      );
      continue;
    }
    origins.set(name, where);
    const symbol: BlockSymbol = { name, decl: declaration, module, params: bindParams(declaration, file, reporter) };
    scope.declared.set(name, symbol);
    scope.visible.set(name, symbol);
  }

  // Every call in every block and layer section must name a layer or a visible block.
  const checkCalls = (statements: readonly Statement[]) => {
    for (const statement of statements) {
      switch (statement.kind) {
        case "CallStatement": {
          const callee = statement.call?.callee;
          if (!callee || callee.name === "") break;
          const layer = LAYERS.get(callee.name);
          const block = scope.visible.get(callee.name);
          if (!layer && block === undefined) {
            reporter.report("SIM2001", at(callee.loc), unknownCalleeMessage(callee.name, scope));
            break;
          }
          // Argument names are known without evaluating anything: check them in every block,
          // applied or not (expansion reports the same problem at the same place only once).
          const names = layer ? layer.args.map((a) => a.name) : block ? block.params.map((p) => p.name) : undefined;
          if (!names) break;
          const label = layer ? layer.name : `block ${callee.name}`;
          for (const arg of statement.call.args) {
            if (arg.name && arg.name.name !== "" && !names.includes(arg.name.name)) {
              reportUnknownArgument(reporter, { label, at: at(callee.loc) }, names, arg.name.name, at(arg.name.loc));
            }
          }
          break;
        }
        case "ResidualStatement":
          checkCalls(statement.body);
          if (statement.shortcut) checkCalls(statement.shortcut);
          break;
        case "RepeatStatement":
          checkCalls(statement.body);
          break;
        case "IfStatement":
          checkCalls(statement.then);
          if (statement.else) checkCalls(statement.else);
          break;
        case "Property":
          break;
      }
    }
  };
  for (const symbol of scope.declared.values()) checkCalls(symbol.decl.body);
  for (const model of scope.models) {
    for (const item of model.items) {
      if (item.kind === "Section" && item.key && LAYER_SECTIONS.includes(item.key.name)) checkCalls(item.body);
    }
  }
  return scope;
}

function bindParams(decl: BlockDecl, file: string, reporter: Reporter): BlockParam[] {
  const params: BlockParam[] = [];
  const seen = new Map<string, Place>();
  for (const param of decl.params) {
    if (!param.name || param.name.name === "") continue;
    const where: Place = { file, loc: param.name.loc };
    const previous = seen.get(param.name.name);
    if (previous) {
      reporter.report("SIM2008", where, `parameter '${param.name.name}' is declared twice in block '${decl.name.name}'`, {
        related: [{ ...previous, message: "first declared here" }],
      });
      continue;
    }
    seen.set(param.name.name, where);
    params.push({
      name: param.name.name,
      type: resolveType(param.type, file, reporter),
      ...(param.default ? { default: param.default } : {}),
      decl: param,
    });
  }
  return params;
}

function resolveType(type: TypeRef | undefined, file: string, reporter: Reporter): ArgType {
  if (!type) return T.any();
  if (type.kind === "EnumType") {
    const members = type.members.filter((m) => m && m.name !== "").map((m) => m.name);
    return members.length > 0 ? T.oneOf(...members) : T.any();
  }
  const make = TYPE_NAMES[type.name];
  if (make) return make();
  if (type.name !== "") {
    reporter.report("SIM2009", { file, loc: type.loc }, `unknown type '${type.name}'${didYouMean(type.name, Object.keys(TYPE_NAMES))}`, {
      hint: "types are int, float, bool, string, shape, or an enum such as gauss | laplace",
    });
  }
  return T.any();
}
