/**
 * Codes of `simc export` failures (SIM81xx). Same form as the front end's catalogue
 * (`core/diagnostic-codes.ts`), which merges this table.
 */
import type { CodeInfo } from "../diagnostic-codes.js";

export const EXPORT_CODES = {
  exportUnsupportedSolver: "SIM8101",
  exportUnsupportedCell: "SIM8102",
  exportUnsupportedFormat: "SIM8103",
  exportNoCheckpoint: "SIM8104",
  exportUnwritable: "SIM8105",
  exportBadArguments: "SIM8106",
} as const;

export type ExportCodeName = keyof typeof EXPORT_CODES;
export type ExportCode = (typeof EXPORT_CODES)[ExportCodeName];

export const EXPORT_CODE_INFO: Record<ExportCode, CodeInfo> = {
  SIM8101: {
    severity: "error",
    title: "solver has no graph form",
    explanation:
      "The DEQ's forward solve exports as an ONNX `Loop` only for picard (plain or damped) and averaged; Anderson, Broyden and the splittings do not. Retrain (or export) with one of those solvers.",
  },
  SIM8102: {
    severity: "error",
    title: "cell has no graph form",
    explanation: "Dense, conv, pcdeq, linf, dense monotone and derived cells export; a monotone conv cell (Fourier-domain, circular padding) does not.",
  },
  SIM8103: {
    severity: "error",
    title: "format cannot hold this model",
    explanation: "The TensorFlow.js format holds feedforward graphs (the sim target); export a DEQ as ONNX, whose `Loop` holds the solve.",
  },
  SIM8104: {
    severity: "error",
    title: "no trained model to export",
    explanation: "The run directory holds no checkpoint (or no compiled model beside it); train with `simc train --out DIR`, or pass the spec: `simc export SPEC --checkpoint DIR`.",
  },
  SIM8105: {
    severity: "error",
    title: "cannot write the export",
    explanation: "The output path cannot be written (missing permission, a file where a folder is needed); nothing was left behind.",
  },
  SIM8106: {
    severity: "error",
    title: "bad export arguments",
    explanation: "An option of `simc export` has a value it does not accept (`--format onnx|tfjs`, `--target sim|deq`).",
  },
};
