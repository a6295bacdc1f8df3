/**
 * `im2col_t(x, out, scratch, n0, count, H, W, C, outH, outW, kh, kw, sh, sw, dh, dw, top,
 * left, Wp)`: the transposed patch matrix of NHWC images [n0, n0 + count), rows (i, j, c),
 * columns (image, oy, ox): out[(i·kw + j)·C + c][(n·outH + oy)·outW + ox] =
 * x[n0 + n, oy·sh + i·dh − top, ox·sw + j·dw − left, c], zero outside the image.
 *
 * Each image is first transposed into `scratch` as [H][C][Wp] rows with `left` zeros before
 * and the rest of the Wp − W columns after, so that every patch row is a (strided) run of one
 * scratch row; unit horizontal strides copy whole vectors.
 */
import { Fn } from "./assembler.js";

export function patchKernels(): Fn[] {
  const fn = new Fn("im2col_t", Array(19).fill("i32"));
  const [x, out, scratch, n0, count, H, W, C, outH, outW, kh, kw, sh, sw, dh, dw, top, left, Wp] = Array.from(
    { length: 19 },
    (_, i) => i,
  );
  const [nl, yv, xv, c, oy, i, j, k, row, src, dst, image, columnBytes, colBase, scratchRow, vectorEnd] = Array.from(
    { length: 16 },
    () => fn.local("i32"),
  );

  fn.get(count).get(outH).i32Mul().get(outW).i32Mul().i32(4).i32Mul().set(columnBytes);
  // Zero every scratch row's borders once; the interior is rewritten per image.
  fn.forRange(
    scratchRow,
    () => fn.i32(0),
    () => fn.get(H).get(C).i32Mul(),
    1,
    () => {
      fn.forRange(
        k,
        () => fn.i32(0),
        () => fn.get(Wp),
        1,
        () => {
          fn.get(k).get(left).i32LtS();
          fn.get(k).get(left).get(W).i32Add().i32GeS();
          fn.i32Or().if();
          fn.get(scratch).get(scratchRow).get(Wp).i32Mul().get(k).i32Add().i32(4).i32Mul().i32Add();
          fn.f32(0).f32Store();
          fn.end();
        },
      );
    },
  );
  // vectorEnd: how many leading outputs of a row whole vectors cover.
  fn.get(outW).i32(-4).i32And().set(vectorEnd);

  fn.forRange(
    nl,
    () => fn.i32(0),
    () => fn.get(count),
    1,
    () => {
      fn.get(n0)
        .get(nl)
        .i32Add()
        .get(H)
        .i32Mul()
        .get(W)
        .i32Mul()
        .get(C)
        .i32Mul()
        .i32(4)
        .i32Mul()
        .get(x)
        .i32Add()
        .set(image);
      // Transpose the image into scratch[(y·C + c)·Wp + left + x].
      fn.get(image).set(src);
      fn.forRange(
        yv,
        () => fn.i32(0),
        () => fn.get(H),
        1,
        () => {
          fn.forRange(
            xv,
            () => fn.i32(0),
            () => fn.get(W),
            1,
            () => {
              fn.get(yv)
                .get(C)
                .i32Mul()
                .get(Wp)
                .i32Mul()
                .get(left)
                .i32Add()
                .get(xv)
                .i32Add()
                .i32(4)
                .i32Mul()
                .get(scratch)
                .i32Add()
                .set(dst);
              fn.forRange(
                c,
                () => fn.i32(0),
                () => fn.get(C),
                1,
                () => {
                  fn.get(dst).get(src).f32Load().f32Store();
                  fn.get(src).i32(4).i32Add().set(src);
                  fn.get(dst).get(Wp).i32(4).i32Mul().i32Add().set(dst);
                },
              );
            },
          );
        },
      );
      fn.forRange(
        oy,
        () => fn.i32(0),
        () => fn.get(outH),
        1,
        () => {
          fn.get(nl)
            .get(outH)
            .i32Mul()
            .get(oy)
            .i32Add()
            .get(outW)
            .i32Mul()
            .i32(4)
            .i32Mul()
            .get(out)
            .i32Add()
            .set(colBase);
          fn.forRange(
            i,
            () => fn.i32(0),
            () => fn.get(kh),
            1,
            () => {
              fn.get(oy).get(sh).i32Mul().get(i).get(dh).i32Mul().i32Add().get(top).i32Sub().set(row);
              fn.forRange(
                j,
                () => fn.i32(0),
                () => fn.get(kw),
                1,
                () => {
                  fn.forRange(
                    c,
                    () => fn.i32(0),
                    () => fn.get(C),
                    1,
                    () => {
                      // dst = colBase + ((i·kw + j)·C + c)·columnBytes
                      fn.get(i)
                        .get(kw)
                        .i32Mul()
                        .get(j)
                        .i32Add()
                        .get(C)
                        .i32Mul()
                        .get(c)
                        .i32Add()
                        .get(columnBytes)
                        .i32Mul();
                      fn.get(colBase).i32Add().set(dst);
                      fn.get(row).i32(0).i32LtS().get(row).get(H).i32GeS().i32Or().if();
                      // The patch row lies outside the image: zeros.
                      fn.forRange(
                        k,
                        () => fn.i32(0),
                        () => fn.get(outW),
                        1,
                        () => {
                          fn.get(dst).get(k).i32(4).i32Mul().i32Add().f32(0).f32Store();
                        },
                      );
                      fn.else();
                      fn.get(row).get(C).i32Mul().get(c).i32Add().get(Wp).i32Mul().get(j).get(dw).i32Mul().i32Add();
                      fn.i32(4).i32Mul().get(scratch).i32Add().set(src);
                      fn.get(sw).i32(1).i32Eq().if();
                      fn.forRange(
                        k,
                        () => fn.i32(0),
                        () => fn.get(vectorEnd),
                        4,
                        () => {
                          fn.get(dst).get(k).i32(4).i32Mul().i32Add();
                          fn.get(src).get(k).i32(4).i32Mul().i32Add().v128Load();
                          fn.v128Store();
                        },
                      );
                      fn.forRange(
                        k,
                        () => fn.get(vectorEnd),
                        () => fn.get(outW),
                        1,
                        () => {
                          fn.get(dst).get(k).i32(4).i32Mul().i32Add();
                          fn.get(src).get(k).i32(4).i32Mul().i32Add().f32Load();
                          fn.f32Store();
                        },
                      );
                      fn.else();
                      fn.forRange(
                        k,
                        () => fn.i32(0),
                        () => fn.get(outW),
                        1,
                        () => {
                          fn.get(dst).get(k).i32(4).i32Mul().i32Add();
                          fn.get(src).get(k).get(sw).i32Mul().i32(4).i32Mul().i32Add().f32Load();
                          fn.f32Store();
                        },
                      );
                      fn.end();
                      fn.end();
                    },
                  );
                },
              );
            },
          );
        },
      );
    },
  );
  return [fn];
}

/**
 * Unit-stride variant over padded columns: `im2col_t_padded(x, out, scratch, n0, count, H, W,
 * C, outH, kh, kw, dh, dw, top, left, Hp, Wp)`. Images are transposed into zero-padded channel
 * planes [C][Hp][Wp] (scratch needs C·Hp·Wp + (kw−1)·dw floats), and the patch matrix gets one
 * column per padded position (image, oy, ox < Wp): row (i, j, c) of an image is then a single
 * contiguous run of plane c starting at (i·dh)·Wp + j·dw, copied with memory.copy. Columns with
 * ox ≥ outW hold finite garbage; the caller pairs them with zero rows of dy.
 */
export function paddedPatchKernels(): Fn[] {
  const fn = new Fn("im2col_t_padded", Array(17).fill("i32"));
  const [x, out, scratch, n0, count, H, W, C, outH, kh, kw, dh, dw, top, left, Hp, Wp] = Array.from(
    { length: 17 },
    (_, i) => i,
  );
  const [nl, yv, xv, c, i, j, src, dst, planeBytes, runBytes, rowBytes, plane] = Array.from({ length: 12 }, () =>
    fn.local("i32"),
  );
  fn.get(Hp).get(Wp).i32Mul().i32(4).i32Mul().set(planeBytes);
  fn.get(outH).get(Wp).i32Mul().i32(4).i32Mul().set(runBytes);
  // rowBytes: one patch-matrix row, all images.
  fn.get(runBytes).get(count).i32Mul().set(rowBytes);
  // Zero the planes and the tail that the last runs overrun.
  fn.get(scratch).i32(0);
  fn.get(planeBytes).get(C).i32Mul().get(kw).i32(1).i32Sub().get(dw).i32Mul().i32(4).i32Mul().i32Add();
  fn.memoryFill();
  fn.forRange(
    nl,
    () => fn.i32(0),
    () => fn.get(count),
    1,
    () => {
      // Transpose image n0 + nl into the planes' interiors.
      fn.get(n0)
        .get(nl)
        .i32Add()
        .get(H)
        .i32Mul()
        .get(W)
        .i32Mul()
        .get(C)
        .i32Mul()
        .i32(4)
        .i32Mul()
        .get(x)
        .i32Add()
        .set(src);
      fn.forRange(
        yv,
        () => fn.i32(0),
        () => fn.get(H),
        1,
        () => {
          fn.forRange(
            xv,
            () => fn.i32(0),
            () => fn.get(W),
            1,
            () => {
              fn.get(yv).get(top).i32Add().get(Wp).i32Mul().get(xv).i32Add().get(left).i32Add().i32(4).i32Mul();
              fn.get(scratch).i32Add().set(dst);
              fn.forRange(
                c,
                () => fn.i32(0),
                () => fn.get(C),
                1,
                () => {
                  fn.get(dst).get(src).f32Load().f32Store();
                  fn.get(src).i32(4).i32Add().set(src);
                  fn.get(dst).get(planeBytes).i32Add().set(dst);
                },
              );
            },
          );
        },
      );
      // dst starts at this image's columns of row (0, 0, 0).
      fn.get(out).get(nl).get(runBytes).i32Mul().i32Add().set(dst);
      fn.forRange(
        i,
        () => fn.i32(0),
        () => fn.get(kh),
        1,
        () => {
          fn.forRange(
            j,
            () => fn.i32(0),
            () => fn.get(kw),
            1,
            () => {
              fn.get(i).get(dh).i32Mul().get(Wp).i32Mul().get(j).get(dw).i32Mul().i32Add().i32(4).i32Mul();
              fn.get(scratch).i32Add().set(plane);
              fn.forRange(
                c,
                () => fn.i32(0),
                () => fn.get(C),
                1,
                () => {
                  fn.get(dst).get(plane).get(runBytes).memoryCopy();
                  fn.get(dst).get(rowBytes).i32Add().set(dst);
                  fn.get(plane).get(planeBytes).i32Add().set(plane);
                },
              );
            },
          );
        },
      );
    },
  );

  // pad_columns(src, dst, rows, width, paddedWidth, channels): rows of width·channels floats
  // copied into rows of paddedWidth·channels floats, the rest zero.
  const pad = new Fn("pad_columns", Array(6).fill("i32"));
  const [from, to, rows, width, padded, channels] = [0, 1, 2, 3, 4, 5];
  const [r, copyBytes, strideBytes, s, d] = Array.from({ length: 5 }, () => pad.local("i32"));
  pad.get(width).get(channels).i32Mul().i32(4).i32Mul().set(copyBytes);
  pad.get(padded).get(channels).i32Mul().i32(4).i32Mul().set(strideBytes);
  pad.get(from).set(s);
  pad.get(to).set(d);
  pad.forRange(
    r,
    () => pad.i32(0),
    () => pad.get(rows),
    1,
    () => {
      pad.get(d).get(s).get(copyBytes).memoryCopy();
      pad.get(d).get(copyBytes).i32Add().i32(0).get(strideBytes).get(copyBytes).i32Sub().memoryFill();
      pad.get(s).get(copyBytes).i32Add().set(s);
      pad.get(d).get(strideBytes).i32Add().set(d);
    },
  );
  return [fn, pad];
}
