/**
 * The NaN/Inf guard: when a step's loss, gradient norm or parameters stop being finite the run
 * ends at once with a message that names the step and the likely cause, and the last
 * checkpoint (written at the end of the previous epoch) stays as it was.
 */
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { CodedFailure } from "../../core/failure.js";
import type { ImplicitReport } from "../implicit-node.js";

export class TrainingDivergedError extends CodedFailure {
  constructor(
    message: string,
    readonly epoch: number,
    readonly step: number,
    /** A coded failure that stopped the step (a solver's), whose code, place and hint this keeps. */
    cause?: CodedFailure,
  ) {
    super(cause?.code ?? RUNTIME_CODES.trainingDiverged, message, {
      hint: cause?.hint ?? "lower the learning rate, add clip: 1.0 to the train section, or resume from the last checkpoint with --resume",
      file: cause?.file,
      loc: cause?.loc,
    });
    this.name = "TrainingDivergedError";
  }
}

export interface DivergenceEvidence {
  epoch: number;
  /** 1-based step of the whole run. */
  step: number;
  stepInEpoch: number;
  stepsPerEpoch: number;
  /** What stopped being finite: `the loss`, `the gradient norm`, `parameter 'basis.0.weight'`. */
  what: string;
  value: number;
  lr: number;
  gradNorm: number;
  clip?: number;
  implicit: readonly ImplicitReport[];
  /** Whether the batch's inputs and targets were all finite (bad data is a cause too). */
  dataFinite: boolean;
  /** Epoch of the checkpoint left in place, and where (absent when nothing is saved). */
  checkpoint?: { epoch: number; dir: string };
}

export function divergenceMessage(e: DivergenceEvidence): string {
  const lines = [
    `training stopped at epoch ${e.epoch}, step ${e.step} (batch ${e.stepInEpoch} of ${e.stepsPerEpoch}): ${e.what} is ${e.value}`,
    "likely causes:",
  ];
  if (!e.dataFinite) lines.push("  - the batch's inputs or targets contain NaN or Inf: check the data set");
  const unconverged = e.implicit.filter((r) => r.notConverged > 0 || !Number.isFinite(r.maxRelResidual));
  for (const r of unconverged) {
    lines.push(
      `  - solver divergence: implicit node '${r.node}' left ${r.notConverged} of ${r.samples} samples unconverged after ${r.steps} steps (largest relative residual ${r.maxRelResidual.toPrecision(3)}); use a contractive cell (monotone, pcdeq, linf), a damped solver, or a smaller learning rate`,
    );
  }
  if (!Number.isFinite(e.gradNorm) || e.gradNorm > 1e3) {
    lines.push(
      `  - exploding gradients (global norm ${e.gradNorm.toPrecision(3)})${e.clip === undefined ? "; add `clip: 1.0` to the train section" : ` despite clip: ${e.clip}`}`,
    );
  }
  lines.push(`  - learning rate too high (lr = ${e.lr.toPrecision(3)} at this step); lower it with --lr or in the optimizer`);
  lines.push(
    e.checkpoint
      ? `the last good checkpoint (epoch ${e.checkpoint.epoch}) is kept in ${e.checkpoint.dir}`
      : "no checkpoint was written before this step (the first epoch did not finish)",
  );
  return lines.join("\n");
}
