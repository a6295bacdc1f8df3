/**
 * Codes of runtime failures (SIM6xxx): what can go wrong once a verified model runs — its data,
 * its solvers, its training, its checkpoints, its settings when read from a hand-written IR file.
 * Same form as the front end's catalogue (`core/diagnostic-codes.ts`), which merges this table.
 */
import type { CodeInfo } from "../diagnostic-codes.js";

export const RUNTIME_CODES = {
  dataUnreadable: "SIM6001",
  dataMismatch: "SIM6002",
  solverFailed: "SIM6101",
  trainingDiverged: "SIM6102",
  checkpointInvalid: "SIM6201",
  deqSetting: "SIM6301",
  trainSetting: "SIM6302",
  backendUnavailable: "SIM6401",
} as const;

export type RuntimeCode = (typeof RUNTIME_CODES)[keyof typeof RUNTIME_CODES];

export const RUNTIME_CODE_INFO: Record<RuntimeCode, CodeInfo> = {
  SIM6001: {
    severity: "error",
    title: "data cannot be loaded",
    explanation: "A data file or directory is missing, unreadable or malformed, or a data set's settings are wrong; the message names the file.",
  },
  SIM6002: {
    severity: "error",
    title: "data does not fit the model",
    explanation: "The examples' shape, classes or outputs differ from the model's input and task (data given with --data or in a compiled IR).",
  },
  SIM6101: {
    severity: "error",
    title: "fixed-point solver failed",
    explanation: "A DEQ forward or backward solve diverged, produced NaN/Inf or hit a singular system; the location is the spec's deq block.",
  },
  SIM6102: {
    severity: "error",
    title: "training diverged",
    explanation: "The loss, the gradient norm or a parameter stopped being finite; the last checkpoint is kept. Lower the learning rate or clip gradients.",
  },
  SIM6201: {
    severity: "error",
    title: "checkpoint unusable",
    explanation: "A run directory's checkpoint is missing, corrupt, or was written for another model.",
  },
  SIM6301: {
    severity: "error",
    title: "invalid DEQ setting",
    explanation: "An implicit node's cell, solver or backward mode names something unknown or a setting outside its range (hand-written or stale IR).",
  },
  SIM6302: {
    severity: "error",
    title: "invalid train setting",
    explanation: "The train section (from the IR or the command line) names an unknown optimizer, schedule, loss or setting, or a value outside its range.",
  },
  SIM6401: {
    severity: "error",
    title: "backend unavailable",
    explanation: "The requested TensorFlow.js backend is unknown or cannot be loaded on this machine.",
  },
};
