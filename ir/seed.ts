/**
 * Per-parameter seeds. Each parameter's initialiser gets its own seed derived from the model
 * seed and the parameter's global name, so adding, removing or reordering other parameters
 * never changes a parameter's initial values.
 *
 *   parameterSeed(s, name) = fmix32(fnv1a32(utf8(name)) ^ fmix32(s mod 2^32))
 */

/** 32-bit FNV-1a over the UTF-8 bytes of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** MurmurHash3's 32-bit finaliser: every input bit affects every output bit. */
export function fmix32(value: number): number {
  let h = value >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** The seed of parameter `name` in a model compiled with `modelSeed` (an unsigned 32-bit integer). */
export function parameterSeed(modelSeed: number, name: string): number {
  return fmix32(fnv1a32(name) ^ fmix32(Math.trunc(modelSeed) >>> 0));
}
