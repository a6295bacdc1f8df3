/**
 * Diagnostic codes of `simc analyze` (SIM6xxx), in the same form as the front end's catalogue
 * (`compiler/diagnostic-codes.ts`), which merges this table.
 */
import type { CodeInfo } from "./diagnostic-codes.js";

export const ANALYSIS_CODES = {
  noCheckpoint: "SIM6001",
  dictionaryTooLarge: "SIM6002",
  tooFewSnapshots: "SIM6003",
  unknownDictionary: "SIM6004",
  badOption: "SIM6005",
  nothingToIterate: "SIM6006",
  noLift: "SIM6007",
} as const;

export const ANALYSIS_CODE_INFO: Record<(typeof ANALYSIS_CODES)[keyof typeof ANALYSIS_CODES], CodeInfo> = {
  SIM6001: {
    severity: "error",
    title: "run directory without a checkpoint",
    explanation: "`simc analyze RUN` reads the model and weights a training run saved; the directory holds no `checkpoint.json` (or its weights file is missing).",
  },
  SIM6002: {
    severity: "error",
    title: "dictionary too large for the state",
    explanation: "The dictionary would have more observables than the estimator handles on this state; reduce the state with `--rank K` or pick a smaller dictionary.",
  },
  SIM6003: {
    severity: "error",
    title: "too few snapshot pairs for the dictionary",
    explanation: "EDMD needs at least as many snapshot pairs (samples × steps) as observables; raise `--steps` or `--samples`, or shrink the dictionary.",
  },
  SIM6004: {
    severity: "error",
    title: "unknown dictionary",
    explanation: "`--dictionary` names none of state, state+input[:K], poly2, rff[:N].",
  },
  SIM6005: {
    severity: "error",
    title: "invalid analysis option",
    explanation: "An option of `simc analyze` has a value outside its range (a count below 1, a threshold that is not a positive number).",
  },
  SIM6006: {
    severity: "error",
    title: "no dynamics to iterate",
    explanation: "The model compiled for the chosen target has no implicit node; analyse the DEQ (`--target deq`), which for a SIM is its derived cell.",
  },
  SIM6007: {
    severity: "error",
    title: "no Koopman lift to report",
    explanation: "`--target sim` reports on the SIM's projection C·B (or E·D); the model has none.",
  },
};
