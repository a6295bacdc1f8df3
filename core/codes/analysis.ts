/**
 * Diagnostic codes of `simc analyze` (SIM8xxx), in the same form as the front end's catalogue
 * (`core/diagnostic-codes.ts`), which merges this table.
 */
import type { CodeInfo } from "../diagnostic-codes.js";

export const ANALYSIS_CODES = {
  noCheckpoint: "SIM8001",
  dictionaryTooLarge: "SIM8002",
  tooFewSnapshots: "SIM8003",
  unknownDictionary: "SIM8004",
  badOption: "SIM8005",
  nothingToIterate: "SIM8006",
  noLift: "SIM8007",
} as const;

export type AnalysisCode = (typeof ANALYSIS_CODES)[keyof typeof ANALYSIS_CODES];

export const ANALYSIS_CODE_INFO: Record<AnalysisCode, CodeInfo> = {
  SIM8001: {
    severity: "error",
    title: "run directory without a checkpoint",
    explanation: "`simc analyze RUN` reads the model and weights a training run saved; the directory holds no `checkpoint.json` (or its weights file is missing).",
  },
  SIM8002: {
    severity: "error",
    title: "dictionary too large for the state",
    explanation: "The dictionary would have more observables than the estimator handles on this state; reduce the state with `--rank K` or pick a smaller dictionary.",
  },
  SIM8003: {
    severity: "error",
    title: "too few snapshot pairs for the dictionary",
    explanation: "EDMD needs at least as many snapshot pairs (samples × steps) as observables; raise `--steps` or `--samples`, or shrink the dictionary.",
  },
  SIM8004: {
    severity: "error",
    title: "unknown dictionary",
    explanation: "`--dictionary` names none of state, state+input[:K], poly2, rff[:N].",
  },
  SIM8005: {
    severity: "error",
    title: "invalid analysis option",
    explanation: "An option of `simc analyze` has a value outside its range (a count below 1, a threshold that is not a positive number).",
  },
  SIM8006: {
    severity: "error",
    title: "no dynamics to iterate",
    explanation: "The model compiled for the chosen target has no implicit node; analyse the DEQ (`--target deq`), which for a SIM is its derived cell.",
  },
  SIM8007: {
    severity: "error",
    title: "no Koopman lift to report",
    explanation: "`--target sim` reports on the SIM's projection C·B (or E·D); the model has none.",
  },
};
