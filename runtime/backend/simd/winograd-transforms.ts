/**
 * The matrices of Winograd's minimal filtering algorithms F(m, 3) for m = 2 and m = 4 (Lavin &
 * Gray, "Fast Algorithms for Convolutional Neural Networks", 2016), and the filter transforms
 * that run in JavaScript. For an input tile d (α × α, α = m + 2) and a 3 × 3 filter g, the
 * m × m outputs of the correlation are
 *
 *   Y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A,
 *
 * and, transposing that bilinear map, the filter gradient of one tile is
 *
 *   dg = Gᵀ [ (A dY Aᵀ) ⊙ (Bᵀ d B) ] G.
 */

export interface WinogradTransform {
  /** Outputs per tile side. */
  m: number;
  /** Tile side, m + 2. */
  alpha: number;
  /** Bᵀ, α × α: the input transform. */
  bt: number[][];
  /** Aᵀ, m × α: the output transform. */
  at: number[][];
  /** G, α × 3: the filter transform. */
  g: number[][];
}

/** F(2, 3), interpolation points 0, 1, −1, ∞: exact in small integers and halves. */
export const F2: WinogradTransform = {
  m: 2,
  alpha: 4,
  bt: [
    [1, 0, -1, 0],
    [0, 1, 1, 0],
    [0, -1, 1, 0],
    [0, 1, 0, -1],
  ],
  at: [
    [1, 1, 1, 0],
    [0, 1, -1, -1],
  ],
  g: [
    [1, 0, 0],
    [0.5, 0.5, 0.5],
    [0.5, -0.5, 0.5],
    [0, 0, 1],
  ],
};

/** F(4, 3), interpolation points 0, ±1, ±2, ∞: 36 products per 16 outputs instead of 144. */
export const F4: WinogradTransform = {
  m: 4,
  alpha: 6,
  bt: [
    [4, 0, -5, 0, 1, 0],
    [0, -4, -4, 1, 1, 0],
    [0, 4, -4, -1, 1, 0],
    [0, -2, -1, 2, 1, 0],
    [0, 2, -1, -2, 1, 0],
    [0, 4, 0, -5, 0, 1],
  ],
  at: [
    [1, 1, 1, 1, 1, 0],
    [0, 1, -1, 2, -2, 0],
    [0, 1, 1, 4, 4, 0],
    [0, 1, -1, 8, -8, 1],
  ],
  g: [
    [1 / 4, 0, 0],
    [-1 / 6, -1 / 6, -1 / 6],
    [-1 / 6, 1 / 6, -1 / 6],
    [1 / 24, 1 / 12, 1 / 6],
    [1 / 24, -1 / 12, 1 / 6],
    [0, 0, 1],
  ],
};

/** Tiles needed to cover `size` outputs, m per tile. */
export function tilesFor(size: number, t: WinogradTransform): number {
  return Math.ceil(size / t.m);
}

/**
 * The cheaper transform for an H × W output: products per channel pair are tiles · α², and
 * F(4, 3)'s partial tiles at the edges can cost more than F(2, 3)'s smaller ones.
 */
export function chooseTransform(height: number, width: number): WinogradTransform {
  const cost = (t: WinogradTransform) => tilesFor(height, t) * tilesFor(width, t) * t.alpha * t.alpha;
  return cost(F4) < cost(F2) ? F4 : F2;
}

/** U[p][q] = (G w[·,·,q] Gᵀ)[p] for a filter w [3][3][pairs] (pairs = cin·cout, q fastest). */
export function transformFilter(t: WinogradTransform, w: Float32Array, pairs: number, out: Float32Array): void {
  const { alpha, g } = t;
  const half = new Float64Array(3);
  for (let q = 0; q < pairs; q++) {
    for (let i = 0; i < alpha; i++) {
      for (let b = 0; b < 3; b++) {
        half[b] = g[i][0] * w[b * pairs + q] + g[i][1] * w[(3 + b) * pairs + q] + g[i][2] * w[(6 + b) * pairs + q];
      }
      for (let j = 0; j < alpha; j++) {
        out[(i * alpha + j) * pairs + q] = g[j][0] * half[0] + g[j][1] * half[1] + g[j][2] * half[2];
      }
    }
  }
}

/** dw[a][b][q] = Σ_{i,j} G[i][a] · (Σ partials)[i·α + j][q] · G[j][b]. */
export function untransformFilterGradient(
  t: WinogradTransform,
  partials: Float32Array[],
  pairs: number,
  out: Float32Array,
): void {
  const { alpha, g } = t;
  const points = alpha * alpha;
  const h = new Float64Array(points);
  const half = new Float64Array(alpha * 3);
  for (let q = 0; q < pairs; q++) {
    for (let p = 0; p < points; p++) {
      let sum = 0;
      for (const partial of partials) sum += partial[p * pairs + q];
      h[p] = sum;
    }
    // half[i][b] = Σ_j h[i][j] G[j][b], then dw[a][b] = Σ_i G[i][a] half[i][b].
    for (let i = 0; i < alpha; i++) {
      for (let b = 0; b < 3; b++) {
        let sum = 0;
        for (let j = 0; j < alpha; j++) sum += h[i * alpha + j] * g[j][b];
        half[i * 3 + b] = sum;
      }
    }
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let sum = 0;
        for (let i = 0; i < alpha; i++) sum += g[i][a] * half[i * 3 + b];
        out[(a * 3 + b) * pairs + q] = sum;
      }
    }
  }
}
