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
  lossGrew: "SIM6103",
  checkpointInvalid: "SIM6201",
  checkpointNotFinite: "SIM6202",
  checkpointOtherGraph: "SIM6203",
  runDirTaken: "SIM6204",
  deqSetting: "SIM6301",
  trainSetting: "SIM6302",
  backendUnavailable: "SIM6401",
  queueUnreachable: "SIM6501",
  searchDirectory: "SIM6502",
  searchSpec: "SIM6503",
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
  SIM6103: {
    severity: "error",
    title: "loss grew without bound",
    explanation: "The training loss grew past the divergence bound (10⁴ × its first value, or 1 if larger) or the gradient norm past 10⁸ × its first value while staying finite; the run stopped and the last checkpoint is kept.",
  },
  SIM6201: {
    severity: "error",
    title: "checkpoint unusable",
    explanation: "A run directory's checkpoint is missing, corrupt, or was written for another model.",
  },
  SIM6202: {
    severity: "error",
    title: "checkpoint holds non-finite weights",
    explanation: "A checkpoint's parameters contain NaN or Inf; eval and --resume refuse it rather than report NaN metrics or blame the learning rate.",
  },
  SIM6203: {
    severity: "error",
    title: "checkpoint from a different model",
    explanation: "--resume found a checkpoint trained from a different compiled graph (a hash of ops, attributes, shapes and parameters differs); --resume-anyway loads it regardless.",
  },
  SIM6204: {
    severity: "error",
    title: "run directory already holds a run",
    explanation: "`--out` names a directory where an earlier run left its files; pass --resume to continue it, --overwrite to replace it, or choose another directory.",
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
  SIM6501: {
    severity: "error",
    title: "queue unreachable",
    explanation: "`simc tune --queue` and `simc worker` need a Redis URL (redis://HOST:PORT/DB) of a server that answers; start redis-server there or fix the URL.",
  },
  SIM6502: {
    severity: "error",
    title: "search directory in use",
    explanation: "The search directory already holds another search's journal (continue it with --resume and the same spec and --samples, or choose another --out), or a journal simc cannot read.",
  },
  SIM6503: {
    severity: "error",
    title: "search cannot run",
    explanation: "The spec has no model with a search section, the sampled values cannot be written into it, or no trial reported the search's metric.",
  },
};
