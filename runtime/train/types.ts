/** What a training run reports: one record per epoch and the final result. */
import type { SolverSummary } from "../metrics.js";

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Optimiser steps taken so far (whole run). */
  step: number;
  /** Learning rate of the epoch's last step. */
  lr: number;
  trainLoss: number;
  trainAccuracy?: number;
  valLoss?: number;
  valAccuracy?: number;
  valPsnr?: number;
  /** Time the epoch's validation took, part of `seconds` (absent when it did not validate). */
  valSeconds?: number;
  /** Statistics of the implicit nodes' solver over the epoch's training steps. */
  solver?: SolverSummary;
  seconds: number;
}

/** The solver statistics of one optimiser step (every implicit node of the model together). */
export interface StepSolver {
  /** Mean forward iterations per implicit node. */
  steps: number;
  relResidual: number;
  absResidual: number;
  backward?: { steps: number; relResidual: number; absResidual: number };
}

/** One optimiser step. */
export interface StepRecord {
  epoch: number;
  /** 1-based, over the whole run. */
  step: number;
  lr: number;
  /** Loss of this step's batch. */
  loss: number;
  /** Accuracy on this step's batch (classification). */
  accuracy?: number;
  solver?: StepSolver;
}
