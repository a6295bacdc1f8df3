/**
 * 3×3 unit-stride same-padded convolutions and their filter gradients by Winograd's minimal
 * filtering (./winograd-kernels.ts), F(4×4, 3×3) or F(2×2, 3×3) whichever needs fewer products
 * for the image size, the batch split across the thread pool. The filter transforms are small
 * (α²·cin·cout values) and done here in double precision; each thread sums its images' filter
 * gradient in the transformed domain, and the partial sums are added and transformed back here.
 */
import { heapF32, relaxedSimdAvailable, withScratch, type HeapModule } from "./module.js";
import { heapPool, pooledKernels } from "./pooled-kernels.js";
import type { PooledModule } from "./threads.js";
import { winogradKernels } from "./winograd-kernels.js";
import {
  chooseTransform,
  tilesFor,
  transformFilter,
  untransformFilterGradient,
  type WinogradTransform,
} from "./winograd-transforms.js";

export interface WinogradGeometry {
  batch: number;
  height: number;
  width: number;
  cin: number;
  cout: number;
}

/** What a convolution must be for the Winograd kernels, besides its geometry. */
export interface ConvolutionShape {
  kernel: [number, number];
  strides: [number, number];
  dilations: [number, number];
  /** Zeros added [top, bottom, left, right]. */
  padding: [number, number, number, number];
  channelsLast: boolean;
}

/** Channel counts above this would make the scratch large. */
const MAX_CHANNELS = 512;
/** Bytes of transformed tiles per chunk: well inside a core's share of L2. */
const CHUNK_BYTES = 96 * 1024;

/** SIMC_WASM_WINOGRAD=0 turns the Winograd path off (for comparisons). */
export function winogradEnabled(): boolean {
  return process.env.SIMC_WASM_WINOGRAD !== "0";
}

/** Whether the Winograd kernels compute this convolution. */
export function winogradApplies(shape: ConvolutionShape, g: WinogradGeometry): boolean {
  const all = (values: number[], value: number) => values.every((v) => v === value);
  return (
    winogradEnabled() &&
    shape.channelsLast &&
    all(shape.kernel, 3) &&
    all(shape.strides, 1) &&
    all(shape.dilations, 1) &&
    all(shape.padding, 1) &&
    g.batch > 0 &&
    g.height > 0 &&
    g.width > 0 &&
    // Fewer channels leave the products too short to pay for the transforms.
    g.cin >= 8 &&
    g.cout >= 8 &&
    g.cin % 4 === 0 &&
    g.cout % 4 === 0 &&
    g.cin <= MAX_CHANNELS &&
    g.cout <= MAX_CHANNELS
  );
}

function moduleFor(heap: HeapModule, t: WinogradTransform, cin: number, cout: number): PooledModule {
  const fused = relaxedSimdAvailable();
  return pooledKernels(heap, `winograd:${t.m}:${cin}:${cout}:${fused}`, () =>
    winogradKernels({ transform: t, cin, cout, fused }),
  );
}

const align = (floats: number) => Math.ceil(floats / 4) * 4;

/** How a call is tiled, and each thread's scratch. */
interface Plan {
  t: WinogradTransform;
  points: number;
  tilesWide: number;
  tilesHigh: number;
  rowsPerChunk: number;
  /** Whether whole tiles overrun the image (results, or dy, then go through a scratch image). */
  partial: boolean;
  threads: number;
  /** [n0, n1) per thread. */
  shares: Array<[number, number]>;
}

function plan(g: WinogradGeometry, poolSize: number): Plan {
  const t = chooseTransform(g.height, g.width);
  const points = t.alpha * t.alpha;
  const tilesWide = tilesFor(g.width, t);
  const tileBytes = points * Math.max(g.cin, g.cout) * 4;
  const threads = Math.min(poolSize, g.batch);
  return {
    t,
    points,
    tilesWide,
    tilesHigh: tilesFor(g.height, t),
    rowsPerChunk: Math.max(1, Math.floor(CHUNK_BYTES / tileBytes / tilesWide)),
    partial: g.height % t.m !== 0 || g.width % t.m !== 0,
    threads,
    shares: Array.from({ length: threads }, (_, i) => [
      Math.floor((i * g.batch) / threads),
      Math.floor(((i + 1) * g.batch) / threads),
    ]),
  };
}

interface ThreadScratch {
  padded: number;
  tiles: number;
  products: number;
  /** The scratch image (0 when tiles fit the image). */
  image: number;
  imageFloats: number;
  extra: number;
}

/** Per-thread scratch after `first` floats of shared data, with `extra` floats each at the end. */
function scratchLayout(g: WinogradGeometry, p: Plan, first: number, extra: number) {
  const chunkTiles = p.rowsPerChunk * p.tilesWide;
  const outHeight = p.tilesHigh * p.t.m;
  const outWidth = p.tilesWide * p.t.m;
  const paddedFloats = align((outHeight + 2) * (outWidth + 2) * g.cin);
  const tilesFloats = align(chunkTiles * p.points * g.cin);
  const productsFloats = align(chunkTiles * p.points * g.cout);
  const imageFloats = p.partial ? align(outHeight * outWidth * g.cout) : 0;
  const perThread = paddedFloats + tilesFloats + productsFloats + imageFloats + extra;
  const at = (base: number, thread: number): ThreadScratch => {
    const padded = base + (first + thread * perThread) * 4;
    const tiles = padded + paddedFloats * 4;
    const products = tiles + tilesFloats * 4;
    const image = products + productsFloats * 4;
    return { padded, tiles, products, image: p.partial ? image : 0, imageFloats, extra: image + imageFloats * 4 };
  };
  return { at, floats: first + p.threads * perThread };
}

/** out = conv(x, w) + bias for x [batch, H, W, cin], w [3, 3, cin, cout] (all on the heap). */
export function winogradConv2d(
  heap: HeapModule,
  pointers: { x: number; filter: number; bias?: number; out: number },
  g: WinogradGeometry,
): void {
  const pool = heapPool(heap);
  const p = plan(g, pool.size);
  const module = moduleFor(heap, p.t, g.cin, g.cout);
  const filterFloats = align(p.points * g.cin * g.cout);
  const biasFloats = align(g.cout);
  const layout = scratchLayout(g, p, filterFloats + biasFloats, 0);
  withScratch(heap, layout.floats * 4, (base) => {
    const pairs = g.cin * g.cout;
    transformFilter(p.t, heapF32(heap, pointers.filter, 9 * pairs), pairs, heapF32(heap, base, filterFloats));
    const bias = pointers.bias ?? base + filterFloats * 4;
    if (pointers.bias === undefined) heapF32(heap, bias, biasFloats).fill(0);
    const calls = p.shares.map(([n0, n1], thread) => {
      const s = layout.at(base, thread);
      return [
        pointers.x,
        base,
        bias,
        pointers.out,
        s.padded,
        s.tiles,
        s.products,
        s.image,
        n0,
        n1,
        g.height,
        g.width,
        p.rowsPerChunk,
      ];
    });
    pool.run(module, "forward_range", calls);
  });
}

/** dw [3, 3, cin, cout] of the convolution of x [batch, H, W, cin] whose output gradient is dy. */
export function winogradFilterGrad(
  heap: HeapModule,
  pointers: { x: number; dy: number; out: number },
  g: WinogradGeometry,
): void {
  const pool = heapPool(heap);
  const p = plan(g, pool.size);
  const module = moduleFor(heap, p.t, g.cin, g.cout);
  const pairs = g.cin * g.cout;
  const accumulatorFloats = align(p.points * pairs);
  const layout = scratchLayout(g, p, 0, accumulatorFloats);
  withScratch(heap, layout.floats * 4, (base) => {
    const calls = p.shares.map(([n0, n1], thread) => {
      const s = layout.at(base, thread);
      heapF32(heap, s.extra, accumulatorFloats).fill(0);
      // dy's scratch image: what dy does not cover must read as zeros.
      if (s.image !== 0) heapF32(heap, s.image, s.imageFloats).fill(0);
      return [
        pointers.x,
        pointers.dy,
        s.extra,
        s.padded,
        s.tiles,
        s.products,
        s.image,
        n0,
        n1,
        g.height,
        g.width,
        p.rowsPerChunk,
      ];
    });
    pool.run(module, "filter_range", calls);
    const partials = calls.map((call) => heapF32(heap, call[2], p.points * pairs));
    untransformFilterGradient(p.t, partials, pairs, heapF32(heap, pointers.out, 9 * pairs));
  });
}
