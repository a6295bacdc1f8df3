/**
 * The training loop: shuffled mini-batches (the order a function of (seed, epoch)), a
 * scheduled learning rate per step, gradient clipping on the computed gradients, the
 * optimiser update, the nonnegativity projection of pcDEQ weights, a NaN/Inf guard, validation
 * at the configured cadence, an atomic checkpoint after every epoch, and the test evaluation at
 * the end.
 * A run resumed from its checkpoint replays exactly what the uninterrupted run would have done.
 */
import * as tf from "../tf.js";
import type { Dataset } from "../data/types.js";
import { CodedError } from "../../core/coded-error.js";
import { RUNTIME_CODES } from "../../core/codes/runtime.js";
import { hasCheckpoint, readManifest, restoreCheckpoint, saveCheckpoint } from "../checkpoint.js";
import { graphHash } from "../graph-hash.js";
import { SolverError } from "../deq/errors.js";
import type { Executor, NamedVariable } from "../executor.js";
import type { ImplicitReport } from "../implicit-node.js";
import { RunningMean, SolverTally } from "../metrics.js";
import type { TrainReporter } from "../progress.js";
import { epochOrder } from "../rng.js";
import { readStepRecords, writeRunFiles, writeRunModel } from "../run-files.js";
import { disposeBatch, gatherBatch, rangeBatch, type Batch } from "./batches.js";
import { clipByGlobalNorm, globalNorm } from "./clip.js";
import type { TrainConfig } from "./config.js";
import { countCorrect, evaluateSplit, type Evaluation, type EvaluationOptions } from "./evaluate.js";
import { divergenceMessage, growthProblem, TrainingDivergedError, type DivergenceBaseline } from "./guard.js";
import { computeLoss } from "./loss.js";
import { createOptimizer, type Optimizer } from "./optimizer.js";
import { makeBeta1Schedule, makeSchedule, type Schedule } from "./schedule.js";
import { summarizeStepTimes } from "./step-times.js";
import { ValidationCadence } from "./validation-cadence.js";
import type { EpochRecord, StepRecord, StepSolver } from "./types.js";

export { TrainingDivergedError } from "./guard.js";

export interface TrainOptions {
  executor: Executor;
  dataset: Dataset;
  config: TrainConfig;
  /** Run directory for checkpoints, `metrics.jsonl` and the loss plot; absent = write nothing. */
  outDir?: string;
  /** Continue from the checkpoint in `outDir` (a fresh start when there is none). */
  resume?: boolean;
  /** Resume even when the checkpoint was saved from a different compiled graph. */
  resumeAnyway?: boolean;
  reporter?: TrainReporter;
  /** Examples per evaluation batch (default 500, or the training batch up to 16,384 when larger). */
  evalBatch?: number;
  /** Stop after this many epochs of this invocation (tests simulate an interrupted run). */
  stopAfterEpochs?: number;
}

export interface TrainResult {
  history: EpochRecord[];
  /** One record per optimiser step of the whole run (a resumed run's earlier steps included). */
  stepRecords: StepRecord[];
  /** Test-set evaluation after the last epoch. */
  test?: Evaluation;
  /** Epoch the run resumed after (0 = fresh start). */
  resumedFrom: number;
  /** Optimiser steps taken by this invocation and their mean duration. */
  steps: number;
  msPerStep: number;
  /** The first step of this invocation alone (kernel compilation, allocation, caches filling). */
  firstStepMs: number;
  /** The steady state: the median step after the first. */
  medianStepMs: number;
  /** Validation passes of this invocation and the time they took, part of `wallSeconds`. */
  validations: number;
  validationSeconds: number;
  /** When the run validated, in words (`ValidationCadence.describe`). */
  validationCadence: string;
  wallSeconds: number;
}

interface StepOutcome {
  loss: number;
  correct: number;
  predictions: number;
  reports: ImplicitReport[];
}

/** Settings whose change makes a resumed run diverge from the uninterrupted one. */
function changedSettings(saved: TrainConfig, now: TrainConfig): string[] {
  const keys: (keyof TrainConfig)[] = ["data", "loss", "optimizer", "schedule", "batch", "epochs", "clip", "seed", "limit", "validation"];
  return keys.filter((key) => JSON.stringify(saved[key]) !== JSON.stringify(now[key]));
}

/** One step's solver statistics over the model's implicit nodes. */
function stepSolver(reports: readonly ImplicitReport[]): StepSolver | undefined {
  const tally = new SolverTally();
  tally.add(reports);
  const summary = tally.summary();
  if (!summary) return undefined;
  const solver: StepSolver = { steps: summary.meanSteps, relResidual: summary.maxRelResidual, absResidual: summary.maxAbsResidual };
  const b = summary.backward;
  if (b) solver.backward = { steps: b.meanSteps, relResidual: b.maxRelResidual, absResidual: b.maxAbsResidual };
  return solver;
}

/** The largest evaluation batch chosen by default. */
const EVAL_BATCH_CAP = 16_384;

/** The value of a scalar, read asynchronously; the tensor is disposed. */
async function readScalar(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0];
  } finally {
    t.dispose();
  }
}

async function allFinite(t: tf.Tensor): Promise<boolean> {
  const values = (await t.data()) as ArrayLike<number>;
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return false;
  return true;
}

/** Projections applied after every optimiser step (pcDEQ: W ≥ 0). */
function projectConstrained(parameters: readonly NamedVariable[]): void {
  for (const p of parameters) {
    if (p.param.constraint === "nonnegative") p.variable.assign(tf.tidy(() => tf.relu(p.variable)));
  }
}

class Trainer {
  private readonly optimizer: Optimizer;
  private readonly schedule: Schedule;
  /** Adam's beta1 per step when the schedule cycles it. */
  private readonly beta1Schedule: Schedule | undefined;
  private beta1: number | undefined;
  readonly stepsPerEpoch: number;
  readonly batchSize: number;
  private readonly classify: boolean;
  private readonly trainable: tf.Variable[];
  private lastCheckpointEpoch = 0;
  /** The run's first loss and gradient norm (restored on resume): the divergence bound's base. */
  private baseline: DivergenceBaseline | undefined;

  constructor(private readonly o: TrainOptions) {
    const n = o.dataset.train.count;
    if (n === 0) throw new Error("the training set is empty");
    this.batchSize = o.config.batch <= 0 || o.config.batch >= n ? n : o.config.batch;
    this.stepsPerEpoch = Math.ceil(n / this.batchSize);
    this.classify = o.dataset.task === "classify";
    this.trainable = o.executor.trainable.map((p) => p.variable);
    this.optimizer = createOptimizer(o.config.optimizer, o.executor.trainable);
    const scheduleContext = { lr: o.config.optimizer.lr, stepsPerEpoch: this.stepsPerEpoch, epochs: o.config.epochs };
    this.schedule = makeSchedule(o.config.schedule, scheduleContext);
    this.beta1Schedule = makeBeta1Schedule(o.config.schedule, scheduleContext);
  }

  evaluationOptions(): EvaluationOptions {
    return {
      loss: this.o.config.loss,
      inputShape: this.o.dataset.inputShape,
      classify: this.classify,
      psnr: this.o.dataset.meta?.image !== undefined,
      // Larger batches for full-batch training (image regression evaluates every pixel): far
      // fewer forward passes, each as large as the training step already holds in memory.
      batchSize: Math.max(this.o.evalBatch ?? Math.max(500, Math.min(this.batchSize, EVAL_BATCH_CAP)), 1),
    };
  }

  async run(): Promise<TrainResult> {
    const started = performance.now();
    const { config, executor, outDir, reporter } = this.o;
    let history: EpochRecord[] = [];
    let stepRecords: StepRecord[] = [];
    let resumedFrom = 0;
    if (this.o.resume && outDir && hasCheckpoint(outDir)) {
      this.requireSameGraph(outDir);
      const manifest = restoreCheckpoint(outDir, executor, this.optimizer);
      this.baseline = manifest.baseline;
      resumedFrom = manifest.epoch;
      this.lastCheckpointEpoch = manifest.epoch;
      history = manifest.history.slice(0, manifest.epoch);
      stepRecords = readStepRecords(outDir, manifest.step);
      reporter?.note(`resuming after epoch ${manifest.epoch} (step ${manifest.step}) from ${outDir}`);
      const changed = changedSettings(manifest.config, config);
      if (changed.length > 0) {
        reporter?.note(`note: ${changed.join(", ")} differ from the checkpoint's run; the result will not match an uninterrupted run`);
      }
    } else if (this.o.resume) {
      reporter?.note(`no checkpoint in ${outDir ?? "(no run directory)"}; starting from scratch`);
    }

    reporter?.begin({
      epochs: config.epochs,
      startEpoch: resumedFrom,
      stepsPerEpoch: this.stepsPerEpoch,
    });
    const fullBatch =
      this.batchSize === this.o.dataset.train.count
        ? rangeBatch(this.o.dataset.train, this.o.dataset.inputShape, 0, this.batchSize)
        : undefined;
    let steps = 0;
    const stepTimes: number[] = [];
    let validations = 0;
    let validationMs = 0;
    const lastEpoch = Math.min(config.epochs, resumedFrom + (this.o.stopAfterEpochs ?? Infinity));
    const cadence = new ValidationCadence(config.validateEvery, fullBatch !== undefined);
    try {
      for (let epoch = resumedFrom + 1; epoch <= lastEpoch; epoch++) {
        const epochStart = performance.now();
        const loss = new RunningMean();
        const accuracy = new RunningMean();
        const tally = new SolverTally();
        const order = fullBatch ? undefined : epochOrder(this.o.dataset.train.count, config.seed, epoch);
        let lr = 0;
        for (let i = 0; i < this.stepsPerEpoch; i++) {
          const step = (epoch - 1) * this.stepsPerEpoch + i;
          lr = this.schedule(step);
          this.beta1 = this.beta1Schedule?.(step);
          const start = i * this.batchSize;
          const end = Math.min(this.o.dataset.train.count, start + this.batchSize);
          const batch = fullBatch ?? gatherBatch(this.o.dataset.train, this.o.dataset.inputShape, order as Int32Array, start, end);
          const t0 = performance.now();
          try {
            const outcome = await this.step(batch, step, lr, {
              epoch,
              stepInEpoch: i + 1,
            });
            loss.add(outcome.loss, outcome.predictions);
            if (this.classify) accuracy.add(outcome.correct / outcome.predictions, outcome.predictions);
            tally.add(outcome.reports);
            const record: StepRecord = { epoch, step: step + 1, lr, loss: outcome.loss };
            if (this.classify) record.accuracy = outcome.correct / outcome.predictions;
            const solver = stepSolver(outcome.reports);
            if (solver) record.solver = solver;
            stepRecords.push(record);
          } catch (error) {
            throw this.withStepContext(error, epoch, step + 1, i + 1);
          } finally {
            if (!fullBatch) disposeBatch(batch);
          }
          const stepElapsed = performance.now() - t0;
          stepTimes.push(stepElapsed);
          cadence.trained(stepElapsed);
          steps += 1;
          reporter?.step(epoch, i + 1, loss.value);
          // Let timers (the progress bar) and signals run between steps.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        const record: EpochRecord = {
          epoch,
          step: epoch * this.stepsPerEpoch,
          lr,
          trainLoss: loss.value,
          seconds: 0,
        };
        if (this.classify) record.trainAccuracy = accuracy.value;
        const solver = tally.summary();
        if (solver) record.solver = solver;
        const validation = this.o.dataset.validation;
        if (validation && validation.count > 0 && cadence.due(epoch, lastEpoch)) {
          const validationStart = performance.now();
          const v = await evaluateSplit(executor, validation, this.evaluationOptions());
          const elapsed = performance.now() - validationStart;
          cadence.validated(elapsed);
          validations += 1;
          validationMs += elapsed;
          record.valLoss = v.loss;
          if (v.accuracy !== undefined) record.valAccuracy = v.accuracy;
          if (v.psnr !== undefined) record.valPsnr = v.psnr;
          record.valSeconds = elapsed / 1000;
        }
        record.seconds = (performance.now() - epochStart) / 1000;
        history.push(record);
        if (outDir) {
          // The model first: a checkpoint is never without the model it belongs to.
          writeRunModel(outDir, executor.module);
          await saveCheckpoint(outDir, executor, this.optimizer, {
            epoch,
            step: record.step,
            config,
            history,
            baseline: this.baseline,
          });
          this.lastCheckpointEpoch = epoch;
          writeRunFiles(outDir, { history, steps: stepRecords, title: `${executor.module.model} (${executor.module.target})` });
        }
        reporter?.epoch(record, config.epochs);
      }
    } finally {
      if (fullBatch) disposeBatch(fullBatch);
      reporter?.end();
    }
    const finished = lastEpoch >= config.epochs;
    const test =
      finished && this.o.dataset.test.count > 0 ? await evaluateSplit(executor, this.o.dataset.test, this.evaluationOptions()) : undefined;
    const stepSummary = summarizeStepTimes(stepTimes);
    return {
      history,
      stepRecords,
      test,
      resumedFrom,
      steps,
      msPerStep: stepSummary.meanStepMs,
      firstStepMs: stepSummary.firstStepMs,
      medianStepMs: stepSummary.medianStepMs,
      validations,
      validationSeconds: validationMs / 1000,
      validationCadence: cadence.describe(),
      wallSeconds: (performance.now() - started) / 1000,
    };
  }

  /**
   * One optimiser step; throws `TrainingDivergedError` before applying a non-finite update. The
   * loss and gradient norm are read asynchronously (the webgpu backend has no synchronous read
   * under Node), between computing the gradients and applying them.
   */
  private async step(batch: Batch, step: number, lr: number, where: { epoch: number; stepInEpoch: number }): Promise<StepOutcome> {
    const { config, executor } = this.o;
    let reports: ImplicitReport[] = [];
    let predictions = batch.size;
    const { clipped, summary } = tf.tidy(() => {
      let dataLoss: tf.Scalar | undefined;
      let correct: tf.Scalar | undefined;
      const { grads } = tf.variableGrads(() => {
        const result = executor.forward(batch.x, { training: true, step });
        reports = result.implicit;
        const loss = computeLoss(config.loss, result.output, batch.y);
        dataLoss = tf.keep(loss);
        if (this.classify) {
          const counted = countCorrect(result.output, batch.y);
          correct = tf.keep(counted.correct);
          predictions = counted.total;
        }
        return result.regularizer ? tf.add(loss, result.regularizer) : loss;
      }, this.trainable);
      // A trainable variable the loss does not reach gets a zero gradient.
      const gradients = this.trainable.map((v) => grads[v.name] ?? tf.zerosLike(v));
      const norm = globalNorm(gradients);
      const clipped = config.clip === undefined ? gradients : clipByGlobalNorm(gradients, config.clip, norm);
      const summary = tf.stack([dataLoss as tf.Scalar, norm, correct ?? tf.scalar(0)]);
      // Kept out of variableGrads' inner scope, so this tidy would not own them otherwise.
      dataLoss?.dispose();
      correct?.dispose();
      return { clipped, summary };
    });
    try {
      const [lossValue, normValue, correctValue] = await summary.data();
      const stop = async (what: string, value?: number, code?: typeof RUNTIME_CODES.lossGrew) =>
        new TrainingDivergedError(
          divergenceMessage({
            epoch: where.epoch,
            step: step + 1,
            stepInEpoch: where.stepInEpoch,
            stepsPerEpoch: this.stepsPerEpoch,
            what,
            value,
            lr,
            gradNorm: normValue,
            clip: config.clip,
            implicit: reports,
            dataFinite: (await allFinite(batch.x)) && (await allFinite(batch.y)),
            checkpoint:
              this.o.outDir && this.lastCheckpointEpoch > 0 ? { epoch: this.lastCheckpointEpoch, dir: this.o.outDir } : undefined,
          }),
          where.epoch,
          step + 1,
          undefined,
          code,
        );
      if (!Number.isFinite(lossValue)) throw await stop("the loss", lossValue);
      if (!Number.isFinite(normValue)) throw await stop("the gradient norm", normValue);
      this.baseline ??= { loss: lossValue, gradNorm: normValue };
      const grown = growthProblem(this.baseline, lossValue, normValue);
      if (grown) throw await stop(grown, undefined, RUNTIME_CODES.lossGrew);
      tf.tidy(() => {
        this.optimizer.apply(clipped, lr, this.beta1);
        projectConstrained(executor.trainable);
      });
      const bad = await this.firstNonFiniteParameter();
      if (bad) throw await stop(`parameter '${bad}' after the update`, NaN);
      return { loss: lossValue, correct: correctValue, predictions, reports };
    } finally {
      tf.dispose([summary, ...clipped]);
    }
  }

  /** Refuses a checkpoint saved from another compiled graph, unless told to go on. */
  private requireSameGraph(outDir: string): void {
    const saved = readManifest(outDir).graphHash;
    const now = graphHash(this.o.executor.module);
    if (saved === undefined || saved === now) return;
    if (this.o.resumeAnyway) {
      this.o.reporter?.note(`note: the checkpoint in ${outDir} was trained from a different graph; resuming anyway`);
      return;
    }
    throw new CodedError(
      RUNTIME_CODES.checkpointOtherGraph,
      `${outDir}: the checkpoint was trained from a different model graph (${readManifest(outDir).model}, hash ${saved.slice(0, 12)}; this model: ${this.o.executor.module.model}, hash ${now.slice(0, 12)})`,
      "train into a new directory (--out), or pass --resume-anyway to load the weights into this graph",
    );
  }

  /** A solver failure inside a step becomes a stop at that step, like a NaN loss. */
  private withStepContext(error: unknown, epoch: number, step: number, stepInEpoch: number): unknown {
    if (!(error instanceof SolverError)) return error;
    const kept =
      this.o.outDir && this.lastCheckpointEpoch > 0
        ? `the last good checkpoint (epoch ${this.lastCheckpointEpoch}) is kept in ${this.o.outDir}`
        : "no checkpoint was written before this step (the first epoch did not finish)";
    const where = `training stopped at epoch ${epoch}, step ${step} (batch ${stepInEpoch} of ${this.stepsPerEpoch})`;
    return new TrainingDivergedError(`${where}: ${error.message}\n${kept}`, epoch, step, error);
  }

  /** One reduction over all trainable parameters; names the culprit only when it is not finite. */
  private async firstNonFiniteParameter(): Promise<string | undefined> {
    if (Number.isFinite(await readScalar(tf.tidy(() => tf.addN(this.trainable.map((v) => tf.sum(v))))))) return undefined;
    for (const p of this.o.executor.trainable) {
      if (!Number.isFinite(await readScalar(tf.tidy(() => tf.sum(p.variable))))) return p.name;
    }
    return this.o.executor.trainable[0]?.name;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Trains the executor's parameters in place on the data set and returns the run's history. */
export async function train(options: TrainOptions): Promise<TrainResult> {
  const trainer = new Trainer(options);
  try {
    return await trainer.run();
  } finally {
    trainer.dispose();
  }
}
