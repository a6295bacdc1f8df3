/**
 * Reference computations for the DEQ tests, written independently of the runtime's solvers:
 * explicit Jacobians by autodiff, dense linear solves in float64, unrolled iterations.
 */
import * as tf from "../../runtime/tf.js";

/** Gaussian elimination with partial pivoting, float64: solves M x = b. */
export function solveDense(m: number[][], b: number[]): number[] {
  const n = b.length;
  const a = m.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = c + 1; r < n; r++) {
      const k = a[r][c] / a[c][c];
      for (let j = c; j <= n; j++) a[r][j] -= k * a[c][j];
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = a[i][n];
    for (let j = i + 1; j < n; j++) s -= a[i][j] * x[j];
    x[i] = s / a[i][i];
  }
  return x;
}

/** Per-sample Jacobians ∂f(z)_i/∂z_j of a batch-separable map on `[B, n]` states. */
export function jacobians(f: (z: tf.Tensor) => tf.Tensor, z: tf.Tensor): number[][][] {
  const [batch, n] = z.shape;
  const rows: number[][][] = Array.from({ length: batch }, () => []);
  for (let i = 0; i < n; i++) {
    const g = tf.tidy(() => {
      const select = tf.oneHot(tf.fill([batch], i, "int32"), n).cast("float32");
      return tf.grad((zz: tf.Tensor) => f(zz).mul(select).sum())(z);
    });
    const data = g.arraySync() as number[][];
    g.dispose();
    for (let b = 0; b < batch; b++) rows[b].push(data[b]);
  }
  return rows;
}

/**
 * Implicit gradient by explicit linear algebra: u_b = (I − J_bᵀ)⁻¹ g_b per sample, then the
 * gradient of ⟨f(z*), u⟩ with z* held constant, for each of `xs`.
 */
export function explicitImplicitGrads(
  f: (z: tf.Tensor) => tf.Tensor,
  zStar: tf.Tensor,
  dy: tf.Tensor,
  xs: tf.Tensor[],
): tf.Tensor[] {
  const js = jacobians(f, zStar);
  const g = dy.arraySync() as number[][];
  const u = js.map((j, b) => {
    const n = j.length;
    const m = Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => (r === c ? 1 : 0) - j[c][r]));
    return solveDense(m, g[b]);
  });
  const uT = tf.tensor2d(u);
  const grads = tf.grads((...args: tf.Tensor[]) => {
    void args;
    return f(zStar).mul(uT).sum();
  })(xs);
  uT.dispose();
  return grads;
}

/** Symmetric eigenvalues by cyclic Jacobi rotations (small matrices). */
export function symmetricEigenvalues(input: number[][]): number[] {
  const n = input.length;
  const a = input.map((r) => [...r]);
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(a[p][q]) < 1e-300) continue;
        const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((r, i) => r[i]).sort((x, y) => x - y);
}

/** The matrix of a linear map on `[1, ...shape]` states, by applying it to each basis vector. */
export function operatorMatrix(apply: (z: tf.Tensor) => tf.Tensor, shape: number[]): number[][] {
  const n = shape.reduce((a, b) => a * b, 1);
  const cols: number[][] = [];
  for (let j = 0; j < n; j++) {
    const col = tf.tidy(() => apply(tf.oneHot([j], n).cast("float32").reshape([1, ...shape])).reshape([n]));
    cols.push(Array.from(col.dataSync()));
    col.dispose();
  }
  return Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
}
