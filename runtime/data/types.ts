/**
 * What a data loader hands to training and evaluation: plain typed arrays, no tensors, so a
 * data set can be loaded, inspected and split without touching TensorFlow.js.
 *
 * Layout conventions:
 * - `x` is row-major, one example after another, each of shape `inputShape`: images NHWC with
 *   pixel values scaled to [0, 1] (no mean/std normalisation), sequences `[L, 1]`, image
 *   regression coordinates `[2]`.
 * - `y` follows the same example order with per-example shape `yShape`: class indices
 *   (`Int32Array`) for classification, targets (`Float32Array`) for regression.
 */

export type DataTask = "classify" | "regress";

export interface Split {
  x: Float32Array;
  y: Int32Array | Float32Array;
  count: number;
  /** Per-example target shape: `[]` for one label, `[L]` for per-position labels, `[outputs]` for regression. */
  yShape: number[];
}

/** Where pixels of an image-regression set sit: a stride-2 lattice starting at `[row, col]`. */
export interface LatticeOffset {
  row: number;
  col: number;
}

export interface ImageMeta {
  /** The PNG the set was made from (absolute path). */
  path: string;
  width: number;
  height: number;
  /** Channels of the targets: 3 (RGB) or 1 (gray). */
  channels: 1 | 3;
  /** Every quarter is the lattice `rows ≡ row, cols ≡ col (mod 2)`. */
  quarters: { train: LatticeOffset; validation: LatticeOffset; test: LatticeOffset };
}

export interface SequenceMeta {
  /** The copy-memory delay T (sequence length T + 20). */
  delay: number;
  /** How many digits are to be remembered (10). */
  memory: number;
  /** The input symbol that asks the model to start recalling (9). */
  marker: number;
}

export interface DatasetMeta {
  /** Where the examples came from: a package, a directory, a file, or `generated`. */
  source: string;
  /** One sentence for reports. */
  description: string;
  /** How the test set was chosen, in words (user data: its own file or a fixed seeded fraction). */
  split?: string;
  /** Human-readable class names, index = label. */
  classNames?: string[];
  /** `split`: the set ships its own validation examples; `train`: held out of the training set (seeded). */
  validationFrom?: "split" | "train";
  /** Image regression only: what is needed to compute PSNR and reconstruct the picture. */
  image?: ImageMeta;
  /** Copy memory only. */
  sequence?: SequenceMeta;
}

export interface Dataset {
  /** Canonical loader name: `mnist`, `fashion_mnist`, `mnist_idx`, `cifar10`, `svhn`, `copy_memory`, `image`. */
  name: string;
  task: DataTask;
  /** Per-example input shape (without the batch dimension). */
  inputShape: number[];
  /** Classification: number of classes. */
  classes?: number;
  /** Regression: number of outputs per example. */
  outputs?: number;
  train: Split;
  validation?: Split;
  test: Split;
  meta?: DatasetMeta;
}

export interface DataContext {
  /** Directory of the spec file: relative paths in `data:` resolve against it. */
  baseDir: string;
  /** Use at most this many training examples (a seeded subset); absent or 0 = all. */
  limit?: number;
  /** Seeds the validation hold-out, the `limit` subset and generated data. */
  seed: number;
  /** Fraction of the training set held out for validation, in [0, 1) (ignored when the set has its own). */
  validation: number;
}
