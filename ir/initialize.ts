/**
 * Initial values of IR parameters: the only place parameters get their starting values, so
 * every backend (and every tool reading the IR) starts from the same numbers.
 *
 * Values are drawn in row-major order of the parameter's shape from `Random(p.seed)`, computed
 * in double precision and rounded once to float32.
 */
import type { Initializer, Shape } from "../core/values.js";
import { Random } from "./random.js";
import type { IRParam } from "./types.js";

export function elementCount(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function initialValues(p: IRParam): Float32Array {
  const out = new Float32Array(elementCount(p.shape));
  fill(out, p.init, p.shape, new Random(p.seed));
  return out;
}

function fillUniform(out: Float32Array, rng: Random, low: number, high: number): void {
  for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * rng.uniform();
}

function fill(out: Float32Array, init: Initializer, shape: Shape, rng: Random): void {
  switch (init.kind) {
    case "zeros":
      out.fill(0);
      return;
    case "ones":
      out.fill(1);
      return;
    case "constant":
      out.fill(init.value);
      return;
    case "normal":
      for (let i = 0; i < out.length; i++) out[i] = init.mean + init.std * rng.normal();
      return;
    case "uniform":
      fillUniform(out, rng, init.low, init.high);
      return;
    case "cauchy":
      for (let i = 0; i < out.length; i++) out[i] = init.scale * rng.cauchy();
      return;
    case "torch_default": {
      const bound = 1 / Math.sqrt(init.fanIn);
      fillUniform(out, rng, -bound, bound);
      return;
    }
    case "glorot_uniform": {
      const limit = Math.sqrt(6 / (init.fanIn + init.fanOut));
      fillUniform(out, rng, -limit, limit);
      return;
    }
    case "identity": {
      const noise = new Float64Array(out.length);
      for (let i = 0; i < noise.length; i++) noise[i] = 0 + init.std * rng.normal(); // 0 + turns −0 into 0
      for (const index of identityIndices(shape)) noise[index] += 1;
      out.set(noise);
      return;
    }
  }
}

/**
 * Flat indices that hold 1 in an identity-like tensor: the diagonal of a matrix [a, b]; the
 * centre tap's diagonal of a conv kernel [k, cin, cout] or [kh, kw, cin, cout]; every entry of a
 * vector.
 */
function identityIndices(shape: Shape): number[] {
  const indices: number[] = [];
  if (shape.length === 1) {
    for (let i = 0; i < shape[0]; i++) indices.push(i);
    return indices;
  }
  const cin = shape[shape.length - 2];
  const cout = shape[shape.length - 1];
  const spatial = shape.slice(0, -2);
  let centre = 0;
  for (const size of spatial) centre = centre * size + Math.floor(size / 2);
  for (let i = 0; i < Math.min(cin, cout); i++) indices.push((centre * cin + i) * cout + i);
  return indices;
}
