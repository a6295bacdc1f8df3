/**
 * Diagnostic codes of lowering and IR reading (SIM5xxx), in the same form as the front end's
 * catalogue (`core/diagnostic-codes.ts`), which merges this table.
 */
import type { CodeInfo } from "../diagnostic-codes.js";

export const IR_CODES = {
  noSimParts: "SIM5001",
  missingEmbedding: "SIM5002",
  derivedCellNeedsParts: "SIM5003",
  liftWidthMismatch: "SIM5004",
  headStateMismatch: "SIM5005",
  derivedStateMismatch: "SIM5006",
  unknownLayer: "SIM5007",
  internalVerifier: "SIM5090",
  irSyntax: "SIM5101",
  irVersion: "SIM5102",
  irStructure: "SIM5103",
  irInvalid: "SIM5104",
} as const;

export const IR_CODE_INFO: Record<(typeof IR_CODES)[keyof typeof IR_CODES], CodeInfo> = {
  SIM5001: {
    severity: "error",
    title: "no SIM to lower",
    explanation: "`--target sim` needs SIM parts (a basis or an embedding, a lift, a surrogate); this model only declares a DEQ cell.",
  },
  SIM5002: {
    severity: "error",
    title: "two-tier SIM without its embedding",
    explanation: "A two-tier SIM lifts ψ(x) a second time with random Fourier features; the model needs `embed: rff(…)`.",
  },
  SIM5003: {
    severity: "error",
    title: "no cell to derive",
    explanation: "Without `deq { cell: … }` the DEQ cell ϕ(K·(ψ(x) + A z)) is derived from the SIM parts: it needs a lifted space (lift or embedding) and a surrogate ϕ.",
  },
  SIM5004: {
    severity: "error",
    title: "lift width mismatch",
    explanation: "The Koopman lift's m must equal the width of what it projects.",
  },
  SIM5005: {
    severity: "error",
    title: "head cannot read the state",
    explanation: "The head's input shape differs from the DEQ state z* it reads.",
  },
  SIM5006: {
    severity: "error",
    title: "derived state does not feed back",
    explanation: "In the derived cell, A maps ϕ's output back onto ψ(x); ϕ must keep ψ's leading axes (it acts on the last axis).",
  },
  SIM5007: {
    severity: "error",
    title: "layer has no lowering",
    explanation: "The checker accepted a layer that the IR has no op for; please report it with the file.",
  },
  SIM5090: {
    severity: "error",
    title: "compiler produced invalid IR",
    explanation: "The lowered module failed the IR verifier: a bug in simc. Please report it with the file.",
  },
  SIM5101: {
    severity: "error",
    title: "IR file is not JSON",
    explanation: "The file could not be parsed as JSON.",
  },
  SIM5102: {
    severity: "error",
    title: "unsupported IR version",
    explanation: "The IR file was written by a simc with a different IR version; recompile the spec.",
  },
  SIM5103: {
    severity: "error",
    title: "malformed IR",
    explanation: "A field of the IR file is missing or has the wrong JSON type; the message gives its JSON path.",
  },
  SIM5104: {
    severity: "error",
    title: "invalid IR",
    explanation: "The IR file is well formed but breaks a rule of the IR (an undefined input, a parameter of the wrong shape, …).",
  },
};
