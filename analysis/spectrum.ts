/**
 * From trajectories to a classified Koopman spectrum: snapshot pairs within each trajectory,
 * the state (and input) reduced to principal coordinates, the dictionary, EDMD with residuals,
 * modes, the verdict. Pure float64 arithmetic on arrays: no tensors here.
 */
import { argument, modulus } from "./complex.js";
import { classify, DEFAULT_THRESHOLDS, type Role, type Thresholds, type Verdict } from "./classify.js";
import { buildDictionary, dictionaryName, dictionarySize, type Dictionary, type DictionarySpec } from "./dictionary.js";
import { DEFAULT_RIDGE, edmd, type SnapshotMatrix } from "./edmd.js";
import { AnalysisError } from "./errors.js";
import { ANALYSIS_CODES } from "../core/codes/analysis.js";
import { koopmanModes } from "./modes.js";
import { pod, project } from "./reduce.js";

/** `count` trajectories of `steps + 1` states each, z_0 … z_T, with the input features held along each. */
export interface Trajectories {
  count: number;
  steps: number;
  stateDim: number;
  /** Row-major `[count][steps + 1][stateDim]`. */
  states: Float32Array | Float64Array;
  inputDim: number;
  /** Row-major `[count][inputDim]`; empty when inputDim is 0. */
  inputs: Float32Array | Float64Array;
}

export interface SpectrumOptions {
  dictionary: DictionarySpec;
  /** Principal coordinates of the state the dictionary sees (at most). */
  rank: number;
  ridge?: number;
  thresholds?: Thresholds;
  seed?: number;
  /** Drop the first steps of every trajectory (transient) before pairing. */
  skip?: number;
}

/** The estimator's cost grows with the cube of the dictionary's size; beyond this it is refused. */
export const MAX_OBSERVABLES = 1500;

export interface EigenRow {
  re: number;
  im: number;
  modulus: number;
  /** Argument in radians, (−π, π]. */
  argument: number;
  /** Continuous-time eigenvalue log λ (per step): growth rate and frequency; null at λ = 0. */
  continuous: { re: number; im: number } | null;
  residual: number;
  kept: boolean;
  role: Role;
  amplitude: number;
}

export interface SpectrumAnalysis {
  dictionary: string;
  observables: number;
  pairs: number;
  state: { dim: number; coordinates: number; captured: number };
  input: { dim: number; coordinates: number; captured: number } | null;
  eigen: EigenRow[];
  verdict: Verdict;
  thresholds: Thresholds;
  ridge: number;
}

/** Steps below which a state counts as standing still (relative to its size: float32 rounding). */
const STATIONARY = 1e-6;

/**
 * Per trajectory, the end (exclusive) of its useful pairs: once z_{t+1} = z_t, every later pair
 * repeats the same fixed point and would only outweigh the transient that carries the dynamics;
 * the first standing pair is kept (it says the point is fixed).
 */
function stationaryFrom(trajectories: Trajectories, skip: number): number[] {
  const { count, steps, stateDim, states } = trajectories;
  return Array.from({ length: count }, (_, n) => {
    for (let t = skip; t < steps; t++) {
      const at = (n * (steps + 1) + t) * stateDim;
      let change = 0;
      let size = 0;
      for (let j = 0; j < stateDim; j++) {
        change += (states[at + stateDim + j] - states[at + j]) ** 2;
        size += states[at + j] ** 2;
      }
      if (Math.sqrt(change) <= STATIONARY * Math.sqrt(size) && t > skip) return t + 1;
    }
    return steps;
  });
}

export function analyzeTrajectories(trajectories: Trajectories, options: SpectrumOptions): SpectrumAnalysis {
  const { count, steps, stateDim } = trajectories;
  const skip = Math.min(options.skip ?? 0, Math.max(steps - 1, 0));
  const ends = stationaryFrom(trajectories, skip);
  const pairs = ends.reduce((sum, end) => sum + end - skip, 0);
  const converged = ends.filter((end) => end < steps).length;
  const coordinates = Math.min(options.rank, stateDim);
  const spec = options.dictionary;
  const observables = dictionarySize(spec, coordinates);
  if (observables > MAX_OBSERVABLES) {
    throw new AnalysisError(
      ANALYSIS_CODES.dictionaryTooLarge,
      "",
      `dictionary ${dictionaryName(spec)} on ${coordinates} state coordinates has ${observables} observables (at most ${MAX_OBSERVABLES})`,
      spec.kind === "poly2" ? `reduce the state with --rank ${Math.floor(Math.sqrt(2 * MAX_OBSERVABLES)) - 3} or less` : `use --rank ${Math.max(1, MAX_OBSERVABLES - 64)} or less`,
    );
  }
  if (pairs < observables) {
    throw new AnalysisError(
      ANALYSIS_CODES.tooFewSnapshots,
      "",
      `${count} trajectories × ${steps - skip} steps give ${pairs} snapshot pairs${converged > 0 ? ` (${converged} of them stand still early)` : ""}, fewer than the ${observables} observables of ${dictionaryName(spec)}`,
      converged > 0
        ? `use more --samples (or a smaller dictionary): trajectories that have reached their fixed point add nothing`
        : `use --steps ${Math.ceil(observables / count) + skip} or more (or more --samples, or a smaller dictionary)`,
    );
  }

  const all = trajectories.states;
  const rows = count * (steps + 1);
  const stateReduction = pod(all, rows, stateDim, coordinates, options.seed ?? 0);
  const reduced = project(stateReduction, all, rows, false);
  const withMean = project(stateReduction, all, rows, true);
  const k = stateReduction.rank;
  const inputCount = spec.kind === "state+input" ? spec.inputs : 0;
  const inputReduction = inputCount > 0 && trajectories.inputDim > 0 ? pod(trajectories.inputs, count, trajectories.inputDim, inputCount, options.seed ?? 0) : undefined;
  const inputCoordinates = inputReduction ? project(inputReduction, trajectories.inputs, count, false) : new Float64Array(0);
  const inputWidth = inputReduction?.rank ?? 0;

  // The RFF bandwidth: the RMS spread of the reduced state.
  let spread = 0;
  for (let i = 0; i < reduced.length; i++) spread += reduced[i] * reduced[i];
  const sigma = Math.sqrt(spread / Math.max(rows, 1)) || 1;
  // Inputs with fewer independent directions than asked for enter with the ones they have.
  const used: DictionarySpec = spec.kind === "state+input" ? { kind: "state+input", inputs: inputWidth } : spec;
  const dictionary: Dictionary = buildDictionary(used, k, { sigma, seed: options.seed });

  const take = (offset: number): { psi: SnapshotMatrix; states: SnapshotMatrix } => {
    const psi = new Float64Array(pairs * dictionary.size);
    const states = new Float64Array(pairs * (k + 1));
    const input = new Float64Array(inputWidth);
    let r = 0;
    for (let n = 0; n < count; n++) {
      input.fill(0);
      input.set(inputCoordinates.subarray(n * inputWidth, (n + 1) * inputWidth));
      for (let t = skip; t < ends[n]; t++) {
        const row = n * (steps + 1) + t + offset;
        dictionary.evaluate(reduced.subarray(row * k, (row + 1) * k), input, psi, r * dictionary.size);
        states.set(withMean.subarray(row * (k + 1), (row + 1) * (k + 1)), r * (k + 1));
        r++;
      }
    }
    return { psi: { rows: pairs, cols: dictionary.size, data: psi }, states: { rows: pairs, cols: k + 1, data: states } };
  };
  const x = take(0);
  const y = take(1);
  const ridge = options.ridge ?? DEFAULT_RIDGE;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const result = edmd(x.psi, y.psi, { ridge });
  const modes = koopmanModes(result, x.psi, x.states, ridge);
  const verdict = classify(result, modes, x.psi, x.states, thresholds);
  const eigen: EigenRow[] = result.pairs.map((p, i) => {
    const r = modulus(p.value);
    const a = argument(p.value);
    return {
      re: p.value.re,
      im: p.value.im,
      modulus: r,
      argument: a,
      continuous: r > 0 ? { re: Math.log(r), im: a } : null,
      residual: p.residual,
      kept: p.residual <= thresholds.residual,
      role: verdict.roles[i],
      amplitude: modes.amplitudes[i],
    };
  });
  return {
    dictionary: dictionary.name,
    observables: dictionary.size,
    pairs,
    state: { dim: stateDim, coordinates: k, captured: stateReduction.captured },
    input: inputReduction ? { dim: trajectories.inputDim, coordinates: inputWidth, captured: inputReduction.captured } : null,
    eigen,
    verdict,
    thresholds,
    ridge,
  };
}
