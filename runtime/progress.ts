/**
 * How a training run shows its progress. On a terminal: one progress bar over the whole run
 * (ETA, running loss) with the per-epoch lines printed above it. Otherwise (piped output, or
 * `--json`): plain per-epoch lines only.
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

/** `epoch 3/10  loss 0.1234  acc 96.50%  val_loss …  lr 1.0e-3  solver 11.4 steps, 0.0% not converged  9.8s` */
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
  }
  parts.push(`${record.seconds.toFixed(1)}s`);
  return parts.join("  ");
}

/** Plain lines through `write` (one call per line, without the newline). */
export function plainReporter(write: (line: string) => void): TrainReporter {
  return {
    begin: () => undefined,
    step: () => undefined,
    epoch: (record, epochs) => write(formatEpochLine(record, epochs)),
    note: (text) => write(text),
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
      bar?.update((epoch - 1) * perEpoch + stepInEpoch, { epoch: `${epoch}/${epochs}`, loss: fixed(loss) });
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

/** The bar when both output streams are terminals and no JSON was asked for; plain lines otherwise. */
export function chooseReporter(json: boolean, write: (line: string) => void): TrainReporter {
  const terminal = Boolean(process.stdout.isTTY && process.stderr.isTTY);
  return terminal && !json ? barReporter() : plainReporter(write);
}
