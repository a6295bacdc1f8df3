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
  /** Statistics of the implicit nodes' solver over the epoch's training steps. */
  solver?: SolverSummary;
  seconds: number;
}
