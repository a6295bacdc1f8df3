/**
 * Conv2DBackpropFilter, which the wasm backend lacks. Convolutions the Winograd kernels take
 * (../simd/winograd.ts) get their filter gradient there. Otherwise the filter gradient is one
 * matrix product, dW[(i,j,c), o] = Σ_p patchesᵀ[(i,j,c), p] · dy[p, o] over the output positions p.
 * Unit strides with up to 48 output channels (the common case) run simc's direct kernel, which
 * reads the patches out of transposed images without writing them down and uses every core
 * (../simd/filter-grad.ts). Otherwise the kernel writes the transposed patch matrix (im2col)
 * and hands the product to the backend's BatchMatMul (XNNPACK), in chunks of images so that
 * the patch matrix stays bounded.
 */
import * as tf from "../../tf.js";
import { directFilterGrad, directFilterGradApplies } from "../simd/filter-grad.js";
import { simdKernels, withScratch } from "../simd/module.js";
import { winogradApplies, winogradFilterGrad } from "../simd/winograd.js";
import { f32, heapModule, pointer, release, runWasmKernel, zeros, type BackendWasm, type KernelArgs } from "./heap.js";

/** Upper bound on the patch matrix of one chunk, in floats (default 96 MiB). */
let patchBudget = 24 * 1024 * 1024;

/** Sets the chunk bound (floats); smaller values trade speed for memory. Returns the old one. */
export function setPatchBudget(floats: number): number {
  const old = patchBudget;
  patchBudget = Math.max(1, Math.floor(floats));
  return old;
}

interface Geometry {
  inH: number;
  inW: number;
  cin: number;
  outH: number;
  outW: number;
  cout: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  top: number;
  left: number;
}

/** patchesᵀ for images [n0, n0 + count): rows (i, j, c), columns (image, y, x); plain loops. */
function writePatchesTScalar(x: Float32Array, out: Float32Array, g: Geometry, n0: number, count: number): void {
  const columns = count * g.outH * g.outW;
  const imageSize = g.inH * g.inW * g.cin;
  for (let n = 0; n < count; n++) {
    const image = (n0 + n) * imageSize;
    for (let y = 0; y < g.outH; y++) {
      const column0 = (n * g.outH + y) * g.outW;
      for (let i = 0; i < g.kh; i++) {
        const row = y * g.sh + i * g.dh - g.top;
        const rowInside = row >= 0 && row < g.inH;
        for (let j = 0; j < g.kw; j++) {
          const tap = (i * g.kw + j) * g.cin;
          for (let c = 0; c < g.cin; c++) {
            const dst = (tap + c) * columns + column0;
            if (!rowInside) {
              out.fill(0, dst, dst + g.outW);
              continue;
            }
            const rowBase = image + row * g.inW * g.cin + c;
            let col = j * g.dw - g.left;
            for (let xo = 0; xo < g.outW; xo++, col += g.sw) {
              out[dst + xo] = col >= 0 && col < g.inW ? x[rowBase + col * g.cin] : 0;
            }
          }
        }
      }
    }
  }
}

function writePatchesT(
  backend: BackendWasm,
  x: tf.TensorInfo,
  patches: tf.TensorInfo,
  g: Geometry,
  n0: number,
  count: number,
): void {
  const heap = heapModule(backend);
  const kernels = simdKernels(heap);
  if (!kernels) {
    writePatchesTScalar(f32(backend, x), f32(backend, patches), g, n0, count);
    return;
  }
  const right = Math.max(0, (g.outW - 1) * g.sw + (g.kw - 1) * g.dw - g.left - (g.inW - 1));
  const wp = g.left + g.inW + right;
  const xPointer = backend.dataIdMap.get(x.dataId)!.memoryOffset;
  const outPointer = backend.dataIdMap.get(patches.dataId)!.memoryOffset;
  withScratch(heap, g.inH * g.cin * wp * 4, (scratch) =>
    kernels.im2col_t(
      xPointer,
      outPointer,
      scratch,
      n0,
      count,
      g.inH,
      g.inW,
      g.cin,
      g.outH,
      g.outW,
      g.kh,
      g.kw,
      g.sh,
      g.sw,
      g.dh,
      g.dw,
      g.top,
      g.left,
      wp,
    ),
  );
}

function geometry(x: tf.TensorInfo, dy: tf.TensorInfo, attrs: Record<string, unknown>): Geometry {
  const filterShape = attrs.filterShape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    attrs.strides as number | [number, number],
    // TensorFlow.js's own callers never pass dilations (its gradient refuses dilated
    // convolutions); simc's dilated filter-gradient kernel does.
    (attrs.dilations as number | [number, number] | undefined) ?? 1,
    attrs.pad as "same" | "valid" | number,
    attrs.dimRoundingMode as "floor" | "round" | "ceil" | undefined,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat as "NHWC" | "NCHW"),
  );
  if (info.dataFormat !== "channelsLast") throw new Error("Conv2DBackpropFilter on wasm supports NHWC only");
  if (info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) {
    throw new Error(`Conv2DBackpropFilter: dy [${dy.shape}] does not match the convolution of x [${x.shape}]`);
  }
  return {
    inH: info.inHeight,
    inW: info.inWidth,
    cin: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    cout: info.outChannels,
    kh: info.filterHeight,
    kw: info.filterWidth,
    sh: info.strideHeight,
    sw: info.strideWidth,
    dh: info.dilationHeight,
    dw: info.dilationWidth,
    top: info.padInfo.top,
    left: info.padInfo.left,
  };
}

/**
 * Unit strides: patches over padded columns (see im2col_t_padded), paired with dy padded to
 * the same columns, zeros where the patch columns hold garbage.
 */
function paddedChunkProduct(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  g: Geometry,
  n0: number,
  count: number,
): tf.TensorInfo {
  const heap = heapModule(backend);
  const kernels = simdKernels(heap)!;
  const hp = Math.max(g.top + g.inH, g.outH + (g.kh - 1) * g.dh);
  const wp = Math.max(g.left + g.inW, g.outW + (g.kw - 1) * g.dw);
  const rows = g.kh * g.kw * g.cin;
  const columns = count * g.outH * wp;
  const patches = backend.makeOutput([1, rows, columns], "float32");
  const dyPadded = backend.makeOutput([1, columns, g.cout], "float32");
  const dyFrom = pointer(backend, dy) + n0 * g.outH * g.outW * g.cout * 4;
  kernels.pad_columns(dyFrom, pointer(backend, dyPadded), count * g.outH, g.outW, wp, g.cout);
  const scratchBytes = (g.cin * hp * wp + (g.kw - 1) * g.dw) * 4;
  withScratch(heap, scratchBytes, (scratch) =>
    kernels.im2col_t_padded(
      pointer(backend, x),
      pointer(backend, patches),
      scratch,
      n0,
      count,
      g.inH,
      g.inW,
      g.cin,
      g.outH,
      g.kh,
      g.kw,
      g.dh,
      g.dw,
      g.top,
      g.left,
      hp,
      wp,
    ),
  );
  const product = runWasmKernel(
    "BatchMatMul",
    { a: patches, b: dyPadded },
    { transposeA: false, transposeB: false },
    backend,
  );
  release(backend, patches, dyPadded);
  return product;
}

/** Any strides: patches over the output positions, paired with the matching rows of dy. */
function chunkProduct(
  backend: BackendWasm,
  x: tf.TensorInfo,
  dyAll: tf.TensorInfo,
  g: Geometry,
  n0: number,
  count: number,
): tf.TensorInfo {
  const rows = g.kh * g.kw * g.cin;
  const positions = g.outH * g.outW;
  const columns = count * positions;
  const patches = backend.makeOutput([1, rows, columns], "float32");
  const whole = columns === dyAll.shape[1];
  const dyChunk = whole
    ? dyAll
    : runWasmKernel("Slice", { x: dyAll }, { begin: [0, n0 * positions, 0], size: [1, columns, g.cout] }, backend);
  writePatchesT(backend, x, patches, g, n0, count);
  const product = runWasmKernel(
    "BatchMatMul",
    { a: patches, b: dyChunk },
    { transposeA: false, transposeB: false },
    backend,
  );
  release(backend, patches);
  if (!whole) release(backend, dyChunk);
  return product;
}

export function conv2DBackpropFilter(args: KernelArgs<"x" | "dy">): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  const g = geometry(x, dy, attrs);
  const heap = heapModule(backend);
  const direct = { ...g, batch: x.shape[0] };
  const winograd = { batch: x.shape[0], height: g.inH, width: g.inW, cin: g.cin, cout: g.cout };
  const shape = {
    kernel: [g.kh, g.kw] as [number, number],
    strides: [g.sh, g.sw] as [number, number],
    dilations: [g.dh, g.dw] as [number, number],
    padding: [g.top, g.outH + g.kh - 1 - g.inH - g.top, g.left, g.outW + g.kw - 1 - g.inW - g.left] as [
      number,
      number,
      number,
      number,
    ],
    channelsLast: true,
  };
  if (simdKernels(heap) && g.outH === g.inH && g.outW === g.inW && winogradApplies(shape, winograd)) {
    const out = backend.makeOutput([g.kh, g.kw, g.cin, g.cout], "float32");
    winogradFilterGrad(heap, { x: pointer(backend, x), dy: pointer(backend, dy), out: pointer(backend, out) }, winograd);
    return out;
  }
  if (g.sh === 1 && g.sw === 1 && simdKernels(heap) && directFilterGradApplies(direct)) {
    const out = backend.makeOutput([g.kh, g.kw, g.cin, g.cout], "float32");
    directFilterGrad(heap, pointer(backend, x), pointer(backend, dy), pointer(backend, out), direct);
    return out;
  }
  const batch = x.shape[0];
  const rows = g.kh * g.kw * g.cin;
  const padded = g.sh === 1 && g.sw === 1 && simdKernels(heapModule(backend)) !== undefined;
  const perImage = rows * g.outH * (padded ? Math.max(g.left + g.inW, g.outW + (g.kw - 1) * g.dw) : g.outW);
  const chunk = Math.max(1, Math.min(batch, Math.floor(patchBudget / Math.max(perImage, 1))));
  // dy as [1, positions of every image, cout]: a reshape shares dy's memory.
  const dyAll = runWasmKernel("Reshape", { x: dy }, { shape: [1, batch * g.outH * g.outW, g.cout] }, backend);
  let total: tf.TensorInfo | undefined;
  for (let n0 = 0; n0 < batch; n0 += chunk) {
    const count = Math.min(chunk, batch - n0);
    const product = padded
      ? paddedChunkProduct(backend, x, dy, g, n0, count)
      : chunkProduct(backend, x, dyAll, g, n0, count);
    if (total === undefined) {
      total = product;
    } else {
      const sum = runWasmKernel("Add", { a: total, b: product }, {}, backend);
      release(backend, total, product);
      total = sum;
    }
  }
  release(backend, dyAll);
  const result = total ?? zeros(backend, [1, rows, g.cout]);
  const shaped = runWasmKernel("Reshape", { x: result }, { shape: [g.kh, g.kw, g.cin, g.cout] }, backend);
  release(backend, result);
  return shaped;
}

/**
 * `SimcConv2DBackpropFilterDilated` (simc's own kernel): Conv2DBackpropFilter that also takes
 * `dilations`, for the gradient of dilated convolutions (runtime/ops/conv1d.ts).
 */
export const CONV2D_BACKPROP_FILTER_DILATED = "SimcConv2DBackpropFilterDilated";
