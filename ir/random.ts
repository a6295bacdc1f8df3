/**
 * The seeded random number generator behind every parameter initialiser.
 *
 * Pure 32-bit integer arithmetic (xoshiro128**, seeded through splitmix32) so the stream of
 * integers is identical on every machine and engine. Uniform doubles take 53 bits from two
 * draws; normals use Box–Muller (both values of each pair, in order); Cauchy variates use the
 * inverse CDF tan(π(u − ½)). The transcendental functions come from the JavaScript engine
 * (V8's are a port of fdlibm, so they agree bit for bit across platforms under Node.js).
 */

const TWO_POW_53 = 9007199254740992;

/** splitmix32: spreads one 32-bit seed over the generator's 128-bit state. */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) >>> 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;

export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Second value of the last Box–Muller pair, consumed by the next `normal()`. */
  private spareNormal: number | undefined;

  /** `seed`: any integer; only its low 32 bits are used. */
  constructor(seed: number) {
    const state = { x: Math.trunc(seed) >>> 0 }; // ToUint32: the seed modulo 2^32
    this.s0 = splitmix32(state);
    this.s1 = splitmix32(state);
    this.s2 = splitmix32(state);
    this.s3 = splitmix32(state);
    // An all-zero state would be a fixed point; splitmix32 never yields four zeros, but be explicit.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32-bit unsigned integer (xoshiro128**). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const high = this.nextUint32() >>> 5; // 27 bits
    const low = this.nextUint32() >>> 6; // 26 bits
    return (high * 67108864 + low) / TWO_POW_53;
  }

  /** Uniform double in (0, 1): never 0, never 1. */
  uniformOpen(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low + 0.5) / TWO_POW_53;
  }

  /** Standard normal N(0, 1) by Box–Muller. */
  normal(): number {
    if (this.spareNormal !== undefined) {
      const value = this.spareNormal;
      this.spareNormal = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(this.uniformOpen()));
    const angle = 2 * Math.PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Standard Cauchy(0, 1) by the inverse CDF. */
  cauchy(): number {
    return Math.tan(Math.PI * (this.uniformOpen() - 0.5));
  }
}
