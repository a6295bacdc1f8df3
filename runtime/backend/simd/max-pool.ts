/**
 * `max_pool_grad(x, y, dy, dx, N, H, W, C, outH, outW, kh, kw, sh, sw, top, left)` on NHWC,
 * `C % 4 == 0`, `dx` zeroed by the caller: each window's gradient goes to the first position
 * (row-major) holding the window's maximum `y`. Four channels at a time: a lane mask records
 * which channels have already been served.
 */
import { Fn } from "./assembler.js";

export function poolKernels(): Fn[] {
  const fn = new Fn("max_pool_grad", Array(16).fill("i32"));
  const [x, y, dy, dx, N, H, W, C, outH, outW, kh, kw, sh, sw, top, left] = Array.from({ length: 16 }, (_, i) => i);
  const [n, oy, ox, yy, xx, cb, yFrom, yTo, xFrom, xTo, out, image, p, pixelBytes, rowBytes] = Array.from(
    { length: 15 },
    () => fn.local("i32"),
  );
  const [m, g, taken, eq] = [fn.local("v128"), fn.local("v128"), fn.local("v128"), fn.local("v128")];
  const max = (a: () => void, b: () => void) => {
    a();
    b();
    a();
    b();
    fn.i32GtS().select();
  };
  const min = (a: () => void, b: () => void) => {
    a();
    b();
    a();
    b();
    fn.i32LtS().select();
  };

  fn.get(C).i32(4).i32Mul().set(pixelBytes);
  fn.get(W).get(pixelBytes).i32Mul().set(rowBytes);
  fn.i32(0).set(out);
  fn.forRange(
    n,
    () => fn.i32(0),
    () => fn.get(N),
    1,
    () => {
      fn.get(n).get(H).i32Mul().get(rowBytes).i32Mul().set(image);
      fn.forRange(
        oy,
        () => fn.i32(0),
        () => fn.get(outH),
        1,
        () => {
          // Window rows [yFrom, yTo) clipped to the image.
          const y0 = () => fn.get(oy).get(sh).i32Mul().get(top).i32Sub();
          max(y0, () => fn.i32(0));
          fn.set(yFrom);
          min(
            () => {
              y0();
              fn.get(kh).i32Add();
            },
            () => fn.get(H),
          );
          fn.set(yTo);
          fn.forRange(
            ox,
            () => fn.i32(0),
            () => fn.get(outW),
            1,
            () => {
              const x0 = () => fn.get(ox).get(sw).i32Mul().get(left).i32Sub();
              max(x0, () => fn.i32(0));
              fn.set(xFrom);
              min(
                () => {
                  x0();
                  fn.get(kw).i32Add();
                },
                () => fn.get(W),
              );
              fn.set(xTo);
              fn.forRange(
                cb,
                () => fn.i32(0),
                () => fn.get(pixelBytes),
                16,
                () => {
                  fn.get(y).get(out).i32Add().get(cb).i32Add().v128Load().set(m);
                  fn.get(dy).get(out).i32Add().get(cb).i32Add().v128Load().set(g);
                  fn.v128Zero().set(taken);
                  fn.forRange(
                    yy,
                    () => fn.get(yFrom),
                    () => fn.get(yTo),
                    1,
                    () => {
                      fn.forRange(
                        xx,
                        () => fn.get(xFrom),
                        () => fn.get(xTo),
                        1,
                        () => {
                          fn.get(image).get(yy).get(rowBytes).i32Mul().i32Add();
                          fn.get(xx).get(pixelBytes).i32Mul().i32Add().get(cb).i32Add().set(p);
                          fn.get(x).get(p).i32Add().v128Load().get(m).f32x4Eq();
                          fn.get(taken).v128AndNot().set(eq);
                          fn.get(dx).get(p).i32Add();
                          fn.get(dx).get(p).i32Add().v128Load();
                          fn.get(g).get(eq).v128And().f32x4Add().v128Store();
                          fn.get(taken).get(eq).v128Or().set(taken);
                        },
                      );
                    },
                  );
                },
              );
              fn.get(out).get(pixelBytes).i32Add().set(out);
            },
          );
        },
      );
    },
  );
  return [fn, maxPoolGrad2x2()];
}

/**
 * `max_pool_grad_2x2(x, y, dy, dx, N, H, W, C, outH, outW)`: the same for 2×2 windows with
 * stride 2 and no padding, without loops over the window; writes every covered position of dx
 * (the caller zeroes dx only when H or W is odd).
 */
function maxPoolGrad2x2(): Fn {
  const fn = new Fn("max_pool_grad_2x2", Array(10).fill("i32"));
  const [x, y, dy, dx, N, H, W, C, outH, outW] = Array.from({ length: 10 }, (_, i) => i);
  const [n, oy, ox, cb, base, out, pixelBytes, rowBytes, colStep] = Array.from({ length: 9 }, () => fn.local("i32"));
  const [m, g, taken, eq] = [fn.local("v128"), fn.local("v128"), fn.local("v128"), fn.local("v128")];
  fn.get(C).i32(4).i32Mul().set(pixelBytes);
  fn.get(W).get(pixelBytes).i32Mul().set(rowBytes);
  fn.get(pixelBytes).i32(2).i32Mul().set(colStep);
  fn.i32(0).set(out);
  fn.forRange(
    n,
    () => fn.i32(0),
    () => fn.get(N),
    1,
    () => {
      fn.forRange(
        oy,
        () => fn.i32(0),
        () => fn.get(outH),
        1,
        () => {
          // base: byte offset of the window's top-left pixel.
          fn.get(n).get(H).i32Mul().get(oy).i32(2).i32Mul().i32Add().get(rowBytes).i32Mul().set(base);
          fn.forRange(
            ox,
            () => fn.i32(0),
            () => fn.get(outW),
            1,
            () => {
              fn.forRange(
                cb,
                () => fn.i32(0),
                () => fn.get(pixelBytes),
                16,
                () => {
                  fn.get(y).get(out).i32Add().get(cb).i32Add().v128Load().set(m);
                  fn.get(dy).get(out).i32Add().get(cb).i32Add().v128Load().set(g);
                  fn.v128Zero().set(taken);
                  const offsets: Array<() => void> = [
                    () => fn.i32(0),
                    () => fn.get(pixelBytes),
                    () => fn.get(rowBytes),
                    () => fn.get(rowBytes).get(pixelBytes).i32Add(),
                  ];
                  for (const offset of offsets) {
                    const address = () => {
                      fn.get(base).get(cb).i32Add();
                      offset();
                      fn.i32Add();
                    };
                    fn.get(x);
                    address();
                    fn.i32Add().v128Load().get(m).f32x4Eq().get(taken).v128AndNot().set(eq);
                    fn.get(dx);
                    address();
                    fn.i32Add().get(g).get(eq).v128And().v128Store();
                    fn.get(taken).get(eq).v128Or().set(taken);
                  }
                },
              );
              fn.get(base).get(colStep).i32Add().set(base);
              fn.get(out).get(pixelBytes).i32Add().set(out);
            },
          );
        },
      );
    },
  );
  return fn;
}
