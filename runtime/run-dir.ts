/**
 * Where a run writes: a new run never replaces an old one unless asked. Without `--out`, runs of
 * a model go to `runs/MODEL-TARGET`, then `runs/MODEL-TARGET-2`, `-3`, …; the directory is
 * claimed with an exclusive `mkdir`, so two runs started at once get different ones. An explicit
 * `--out` that already holds a run is refused unless the run resumes it or `--overwrite` asks
 * for it to be replaced (then only the run's own files are removed, nothing else there).
 */
import { existsSync, mkdirSync, readdirSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { RUNTIME_CODES } from "../core/codes/runtime.js";
import { CodedFailure, type FailureDetails } from "../core/failure.js";
import { MANIFEST_FILE, readManifest } from "./checkpoint.js";
import { RECONSTRUCTION_FILE } from "./reconstruct.js";
import {
  ACCURACY_PLOT,
  LR_PLOT,
  METRICS_CSV,
  METRICS_FILE,
  PLOT_FILE,
  SETTINGS_FILE,
  SOLVER_RESIDUAL_PLOT,
  SOLVER_STEPS_PLOT,
  SPEC_COPIES,
  STEPS_CSV,
  STEPS_FILE,
  TEST_FILE,
} from "./run-files.js";

export class RunDirError extends CodedFailure {
  constructor(message: string, details: FailureDetails = {}) {
    super(RUNTIME_CODES.runDirTaken, message, details);
    this.name = "RunDirError";
  }
}

export interface RunDirRequest {
  /** `--out` as given (resolved), or undefined for the numbered default. */
  out?: string;
  /** The default series' first directory, e.g. `/abs/runs/mnist-sim`. */
  base: string;
  resume: boolean;
  overwrite: boolean;
}

export interface RunDirChoice {
  dir: string;
  /** Run files of an earlier run were removed (`--overwrite`). */
  replaced: boolean;
}

const RUN_FILES = [
  MANIFEST_FILE,
  SETTINGS_FILE,
  TEST_FILE,
  METRICS_FILE,
  METRICS_CSV,
  STEPS_FILE,
  STEPS_CSV,
  PLOT_FILE,
  ACCURACY_PLOT,
  LR_PLOT,
  SOLVER_STEPS_PLOT,
  SOLVER_RESIDUAL_PLOT,
  RECONSTRUCTION_FILE,
  ...SPEC_COPIES,
];

/** A directory holds a run when a run left its manifest, settings or metrics there. */
export function holdsRun(dir: string): boolean {
  return [MANIFEST_FILE, SETTINGS_FILE, METRICS_FILE].some((file) => existsSync(join(dir, file)));
}

function describeRun(dir: string): string {
  if (!existsSync(join(dir, MANIFEST_FILE))) return "a run";
  try {
    const manifest = readManifest(dir);
    return `a run of ${manifest.model} (${manifest.target}), ${manifest.epoch} epoch${manifest.epoch === 1 ? "" : "s"} trained`;
  } catch {
    return "a run";
  }
}

/** Removes what a run writes (and only that) from `dir`. */
function clearRun(dir: string): void {
  for (const file of readdirSync(dir)) {
    if (RUN_FILES.includes(file) || /^weights-\d+\.bin$/.test(file)) unlinkSync(join(dir, file));
  }
}

/** The directories of the default series, `base`, `base-2`, …, that exist, by number. */
export function seriesMembers(base: string): { dir: string; number: number }[] {
  const parent = dirname(base);
  const name = basename(base);
  if (!existsSync(parent)) return [];
  const members: { dir: string; number: number }[] = [];
  for (const entry of readdirSync(parent)) {
    if (entry === name) members.push({ dir: join(parent, entry), number: 1 });
    else if (entry.startsWith(`${name}-`) && /^[1-9]\d*$/.test(entry.slice(name.length + 1))) {
      members.push({
        dir: join(parent, entry),
        number: Number(entry.slice(name.length + 1)),
      });
    }
  }
  return members.sort((a, b) => a.number - b.number);
}

const memberDir = (base: string, n: number) => (n === 1 ? base : `${base}-${n}`);

/** Creates `dir` if it does not exist; false when another run claimed it first. */
function claim(dir: string): boolean {
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

function explicitDir(request: RunDirRequest & { out: string }): RunDirChoice {
  const { out } = request;
  if (!existsSync(out) || !holdsRun(out) || request.resume) {
    mkdirSync(out, { recursive: true });
    return { dir: out, replaced: false };
  }
  if (request.overwrite) {
    clearRun(out);
    return { dir: out, replaced: true };
  }
  throw new RunDirError(`${out} already holds ${describeRun(out)}`, {
    file: out,
    hint: "pass --resume to continue it, --overwrite to replace it, or choose another --out",
  });
}

export function chooseRunDir(request: RunDirRequest): RunDirChoice {
  if (request.out !== undefined) return explicitDir({ ...request, out: request.out });
  const members = seriesMembers(request.base);
  const withRuns = members.filter((m) => holdsRun(m.dir));
  if (request.resume) {
    const latest = withRuns[withRuns.length - 1];
    return explicitDir({ ...request, out: latest?.dir ?? request.base });
  }
  if (request.overwrite) return explicitDir({ ...request, out: request.base });
  // Always a fresh number: a directory of the series, even an empty one, may be another run's claim.
  for (let n = (members[members.length - 1]?.number ?? 0) + 1; ; n++) {
    if (claim(memberDir(request.base, n))) return { dir: memberDir(request.base, n), replaced: false };
  }
}
