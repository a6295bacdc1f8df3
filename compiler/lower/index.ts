/**
 * Lowering: checked model → IR module for one target. The SIM target is the feedforward closed
 * form (`sim.ts`), the DEQ target an implicit node plus the head (`deq.ts`). Every module is
 * verified before it is returned; a verifier failure is a compiler bug, reported as SIM5090.
 */
import type { CheckedModel, TrainSpec } from "../checked-model.js";
import type { Diagnostic } from "../../core/diagnostic.js";
import { IR_CODES } from "../../core/codes/ir.js";
import { elementCount } from "../../ir/initialize.js";
import { IR_VERSION, type IRGraph, type IRModule, type IRParam, type IRTrain } from "../../ir/types.js";
import { verifyIR } from "../../ir/verify.js";
import { ParamTable } from "./builder.js";
import { certify, type Certificate } from "./certificate.js";
import { lowerDeq } from "./deq.js";
import { LoweringError, originLocation } from "./lowering-error.js";
import { lowerSim } from "./sim.js";

export type Target = "sim" | "deq";

export interface LowerOptions {
  /** Model seed: every parameter's seed derives from it and the parameter's name. */
  seed: number;
}

export interface LowerResult {
  module?: IRModule;
  diagnostics: Diagnostic[];
}

/** The checked train section as the IR's: flat, every setting resolved, unset optional ones left out. */
function trainRecord(train: TrainSpec): IRTrain {
  const { origin: _origin, extra, data, ...rest } = train;
  const flat = { ...extra, ...rest } as Record<string, unknown>;
  const record = Object.fromEntries(Object.entries(flat).filter(([, v]) => v !== undefined)) as unknown as IRTrain;
  if (data !== "") record.data = data;
  return record;
}

function total(params: readonly IRParam[], kind: IRParam["kind"]): number {
  return params.filter((p) => p.kind === kind).reduce((sum, p) => sum + elementCount(p.shape), 0);
}

export function lowerModel(model: CheckedModel, target: Target, options: LowerOptions): LowerResult {
  const table = new ParamTable(options.seed);
  let graph: IRGraph;
  let certificate: Certificate | undefined;
  try {
    if (target === "sim") {
      graph = lowerSim(model, table);
    } else {
      const deq = lowerDeq(model, table);
      graph = deq.graph;
      certificate = certify(deq.implicit, table.params);
    }
  } catch (error) {
    if (error instanceof LoweringError) return { diagnostics: [error.toDiagnostic()] };
    throw error;
  }

  const module: IRModule = {
    version: IR_VERSION,
    model: model.name,
    target,
    ...(target === "sim" ? { variant: model.variant } : {}),
    source: { file: model.file, seed: options.seed },
    input: { shape: [...model.input] },
    task: { ...model.task },
    trainableParams: total(table.params, "trainable"),
    frozenParams: total(table.params, "frozen"),
    ...(certificate ? { certificate } : {}),
    train: trainRecord(model.train),
    params: table.params,
    graph,
  };

  const problems = verifyIR(module);
  if (problems.length > 0) {
    return {
      diagnostics: [
        {
          code: IR_CODES.internalVerifier,
          severity: "error",
          file: model.file,
          loc: originLocation(model.origin),
          message: `internal error: the ${target} IR of model '${model.name}' fails verification: ${problems.join("; ")}`,
          hint: "this is a bug in simc; please report it with the spec",
        },
      ],
    };
  }
  return { module, diagnostics: [] };
}
