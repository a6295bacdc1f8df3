/**
 * Dictionaries of observables for EDMD. A dictionary maps one snapshot (the state's
 * coordinates, and the input features held fixed along its trajectory) to a row of observable
 * values; the constant function is always its first observable.
 *
 *   state          [1, z]                      (DMD)
 *   state+input:K  [1, z, u]                   (u: K features of the input, as in the paper's Eq. 4)
 *   poly2          [1, z_i, z_i z_j (i ≤ j)]   (degree-2 monomials)
 *   rff:N          [1, √(2/N) cos(zΩ + b)]     (random Fourier features, Ω ~ N(0, 1/σ²), b ~ U[0, 2π))
 */
import { uniformStream } from "../runtime/rng.js";
import type { SnapshotMatrix } from "./edmd.js";

export type DictionarySpec =
  | { kind: "state" }
  | { kind: "state+input"; inputs: number }
  | { kind: "poly2" }
  | { kind: "rff"; features: number };

export interface Dictionary {
  /** As the user writes it: `state`, `state+input:8`, `poly2`, `rff:256`. */
  name: string;
  /** Number of observables, the constant included. */
  size: number;
  /** Whether the state's coordinates are observables themselves (then its Koopman modes are exact). */
  containsState: boolean;
  /** Writes the observables of one snapshot into `out` from `offset`. */
  evaluate(state: Float64Array, input: Float64Array, out: Float64Array, offset: number): void;
}

export const DICTIONARY_FORMS = ["state", "state+input[:K]", "poly2", "rff[:N]"] as const;
export const DEFAULT_INPUT_FEATURES = 8;
export const DEFAULT_RFF_FEATURES = 128;

/** Reads a dictionary as written on the command line; undefined when it names none. */
export function parseDictionary(text: string): DictionarySpec | undefined {
  const match = /^(state\+input|state|poly2|rff)(?::(\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const count = match[2] === undefined ? undefined : Number(match[2]);
  if (count !== undefined && count < 1) return undefined;
  switch (match[1]) {
    case "state":
      return count === undefined ? { kind: "state" } : undefined;
    case "poly2":
      return count === undefined ? { kind: "poly2" } : undefined;
    case "state+input":
      return { kind: "state+input", inputs: count ?? DEFAULT_INPUT_FEATURES };
    default:
      return { kind: "rff", features: count ?? DEFAULT_RFF_FEATURES };
  }
}

export function dictionaryName(spec: DictionarySpec): string {
  switch (spec.kind) {
    case "state+input":
      return `state+input:${spec.inputs}`;
    case "rff":
      return `rff:${spec.features}`;
    default:
      return spec.kind;
  }
}

/** Number of observables the dictionary has on a state of `stateDim` coordinates. */
export function dictionarySize(spec: DictionarySpec, stateDim: number): number {
  switch (spec.kind) {
    case "state":
      return 1 + stateDim;
    case "state+input":
      return 1 + stateDim + spec.inputs;
    case "poly2":
      return 1 + stateDim + (stateDim * (stateDim + 1)) / 2;
    case "rff":
      return 1 + spec.features;
  }
}

/** `[1, Π_k z_k^{e_k} for each exponent row]`: any polynomial dictionary on the state. */
export function monomialDictionary(name: string, exponents: readonly (readonly number[])[]): Dictionary {
  return {
    name,
    size: 1 + exponents.length,
    containsState: false,
    evaluate(state, _input, out, offset) {
      out[offset] = 1;
      exponents.forEach((powers, j) => {
        let value = 1;
        powers.forEach((p, k) => {
          if (p !== 0) value *= state[k] ** p;
        });
        out[offset + 1 + j] = value;
      });
    },
  };
}

function gaussian(next: () => number): number {
  const u = Math.max(next(), 1e-300);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
}

/**
 * The dictionary for a state of `stateDim` coordinates; `sigma` is the random Fourier
 * features' bandwidth (the caller passes the states' RMS spread), `seed` draws Ω and b.
 */
export function buildDictionary(spec: DictionarySpec, stateDim: number, options: { sigma?: number; seed?: number } = {}): Dictionary {
  const name = dictionaryName(spec);
  const size = dictionarySize(spec, stateDim);
  switch (spec.kind) {
    case "state":
    case "state+input": {
      const inputs = spec.kind === "state" ? 0 : spec.inputs;
      return {
        name,
        size,
        containsState: true,
        evaluate(state, input, out, offset) {
          out[offset] = 1;
          out.set(state.subarray(0, stateDim), offset + 1);
          for (let k = 0; k < inputs; k++) out[offset + 1 + stateDim + k] = input[k] ?? 0;
        },
      };
    }
    case "poly2":
      return {
        name,
        size,
        containsState: true,
        evaluate(state, _input, out, offset) {
          out[offset] = 1;
          out.set(state.subarray(0, stateDim), offset + 1);
          let j = offset + 1 + stateDim;
          for (let a = 0; a < stateDim; a++) for (let b = a; b < stateDim; b++) out[j++] = state[a] * state[b];
        },
      };
    case "rff": {
      const n = spec.features;
      const next = uniformStream(options.seed ?? 0);
      const sigma = options.sigma && options.sigma > 0 ? options.sigma : 1;
      const omega = Float64Array.from({ length: stateDim * n }, () => gaussian(next) / sigma);
      const phase = Float64Array.from({ length: n }, () => 2 * Math.PI * next());
      const scale = Math.sqrt(2 / n);
      return {
        name,
        size,
        containsState: false,
        evaluate(state, _input, out, offset) {
          out[offset] = 1;
          for (let f = 0; f < n; f++) {
            let s = phase[f];
            for (let k = 0; k < stateDim; k++) s += state[k] * omega[k * n + f];
            out[offset + 1 + f] = scale * Math.cos(s);
          }
        },
      };
    }
  }
}

/** Evaluates the dictionary on every row of `states` (with the matching row of `inputs`). */
export function liftSnapshots(dictionary: Dictionary, states: SnapshotMatrix, inputs?: SnapshotMatrix): SnapshotMatrix {
  const out = new Float64Array(states.rows * dictionary.size);
  const empty = new Float64Array(0);
  for (let r = 0; r < states.rows; r++) {
    const state = states.data.subarray(r * states.cols, (r + 1) * states.cols);
    const input = inputs ? inputs.data.subarray(r * inputs.cols, (r + 1) * inputs.cols) : empty;
    dictionary.evaluate(state, input, out, r * dictionary.size);
  }
  return { rows: states.rows, cols: dictionary.size, data: out };
}
