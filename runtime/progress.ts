/**
 * How a training run shows its progress. On a terminal: one progress bar over the whole run
 * (ETA, running loss) with the per-epoch lines printed above it. Otherwise (piped output, or
 * `--json`): plain per-epoch lines, and a progress line whenever `every` seconds have passed
 * since the last line, so a log shows a long epoch advancing.
 */
import cliProgress from "cli-progress";
import type { EpochRecord } from "./train/types.js";

export interface RunStart {
  epochs: number;
  /** Epochs already done (resumed runs). */
  startEpoch: number;
  stepsPerEpoch: number;
}

export interface TrainReporter {
  begin(start: RunStart): void;
  /** After every optimiser step: `loss` is the epoch's running mean. */
  step(epoch: number, stepInEpoch: number, loss: number): void;
  epoch(record: EpochRecord, epochs: number): void;
  /** A line that is not an epoch (notes, warnings). */
  note(text: string): void;
  end(): void;
}

const fixed = (value: number, digits = 4) => (Number.isFinite(value) ? value.toFixed(digits) : String(value));
const percent = (value: number) => `${(100 * value).toFixed(2)}%`;

/** `epoch 3/10  loss 0.1234  acc 96.50%  val_loss …  lr 1.0e-3  solver 11.4 steps, 0.0% not converged  backward 8.0 steps, …  9.8s` */
export function formatEpochLine(record: EpochRecord, epochs: number): string {
  const width = String(epochs).length;
  const parts = [`epoch ${String(record.epoch).padStart(width)}/${epochs}`, `loss ${fixed(record.trainLoss)}`];
  if (record.trainAccuracy !== undefined) parts.push(`acc ${percent(record.trainAccuracy)}`);
  if (record.valLoss !== undefined) parts.push(`val_loss ${fixed(record.valLoss)}`);
  if (record.valAccuracy !== undefined) parts.push(`val_acc ${percent(record.valAccuracy)}`);
  if (record.valPsnr !== undefined) parts.push(`val_psnr ${fixed(record.valPsnr, 2)} dB`);
  parts.push(`lr ${record.lr.toExponential(2)}`);
  if (record.solver) {
    parts.push(`solver ${record.solver.meanSteps.toFixed(1)} steps, ${percent(record.solver.notConverged)} not converged`);
    const b = record.solver.backward;
    if (b) parts.push(`backward ${b.meanSteps.toFixed(1)} steps, ${percent(b.notConverged)} not converged`);
  }
  parts.push(`${record.seconds.toFixed(1)}s`);
  return parts.join("  ");
}

/** `epoch 2/10  step 31/63  loss 0.1234  elapsed 1m05s` */
export function formatProgressLine(
  epoch: number,
  epochs: number,
  stepInEpoch: number,
  stepsPerEpoch: number,
  loss: number,
  seconds: number,
): string {
  const minutes = Math.floor(seconds / 60);
  const elapsed = minutes > 0 ? `${minutes}m${String(Math.floor(seconds % 60)).padStart(2, "0")}s` : `${Math.floor(seconds)}s`;
  return `epoch ${epoch}/${epochs}  step ${stepInEpoch}/${stepsPerEpoch}  loss ${fixed(loss)}  elapsed ${elapsed}`;
}

/**
 * Plain lines through `write` (one call per line, without the newline). With `every` (seconds),
 * a step that comes that long after the last line prints a progress line.
 */
export function plainReporter(write: (line: string) => void, every?: number, now: () => number = () => performance.now()): TrainReporter {
  let started = now();
  let last = started;
  let epochs = 1;
  let perEpoch = 1;
  const line = (text: string) => {
    last = now();
    write(text);
  };
  return {
    begin(start) {
      started = last = now();
      epochs = start.epochs;
      perEpoch = start.stepsPerEpoch;
    },
    step(epoch, stepInEpoch, loss) {
      if (every === undefined || now() - last < every * 1000) return;
      line(formatProgressLine(epoch, epochs, stepInEpoch, perEpoch, loss, (now() - started) / 1000));
    },
    epoch: (record, total) => line(formatEpochLine(record, total)),
    note: (text) => line(text),
    end: () => undefined,
  };
}

export function barReporter(stream: NodeJS.WriteStream = process.stderr): TrainReporter {
  const multibar = new cliProgress.MultiBar(
    {
      stream,
      format: "epoch {epoch} [{bar}] {percentage}% | ETA {eta_formatted} | loss {loss}",
      barCompleteChar: "█",
      barIncompleteChar: "░",
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  let perEpoch = 1;
  let epochs = 1;
  // Lines go above the bar; rendering at once flushes them (the last epoch's too).
  const print = (line: string) => {
    if (!bar) {
      stream.write(`${line}\n`);
      return;
    }
    multibar.log(`${line}\n`);
    multibar.update();
  };
  return {
    begin(start) {
      perEpoch = start.stepsPerEpoch;
      epochs = start.epochs;
      bar = multibar.create(start.epochs * perEpoch, start.startEpoch * perEpoch, {
        epoch: `${start.startEpoch + 1}/${epochs}`,
        loss: "…",
      });
    },
    step(epoch, stepInEpoch, loss) {
      bar?.update((epoch - 1) * perEpoch + stepInEpoch, {
        epoch: `${epoch}/${epochs}`,
        loss: fixed(loss),
      });
    },
    epoch(record, total) {
      print(formatEpochLine(record, total));
    },
    note(text) {
      print(text);
    },
    end() {
      multibar.stop();
    },
  };
}

/** Seconds between progress lines when the output is not a terminal. */
export const DEFAULT_PROGRESS_SECONDS = 30;

/**
 * The bar when both output streams are terminals and no JSON was asked for; plain lines
 * otherwise, with a progress line every `every` seconds.
 */
export function chooseReporter(json: boolean, write: (line: string) => void, every: number = DEFAULT_PROGRESS_SECONDS): TrainReporter {
  const terminal = Boolean(process.stdout.isTTY && process.stderr.isTTY);
  return terminal && !json ? barReporter() : plainReporter(write, every);
}
