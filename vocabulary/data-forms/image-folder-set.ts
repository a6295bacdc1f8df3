/**
 * `images(dir, size, gray)`: a folder of pictures by class — `dir/<class>/*.png|jpg|jpeg`, or
 * `dir/train/<class>/…` with `dir/test/<class>/…` for a split of its own. Each sub-folder is a
 * class (named by the folder). Pictures become NHWC arrays in [0, 1], RGB or gray; with `size:
 * [h, w]` each is resized (bilinear), without it all must share the first picture's size.
 * Inspection lists the folders and decodes the first picture only.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { classIndex } from "./classes.js";
import { DataError } from "./errors.js";
import { pathKind, requireDirectorySync } from "./file-bytes.js";
import { isImageFile, readImageFile, type DecodedImage } from "./image-files.js";
import { seededSplitText, type DataArgs, type DataDescription, type DataExamples, type ReadDataSet } from "./types.js";

/** Luminance weights (ITU-R BT.709), as scikit-image's rgb2gray uses. */
export const LUMA = [0.2125, 0.7154, 0.0721] as const;

interface Listing {
  /** Class folder name → picture paths, sorted. */
  classes: Map<string, string[]>;
  root: string;
}

const LAYOUT_HINT = "put each class's pictures in a sub-folder named after the class: dir/cat/1.jpg, dir/dog/2.png, …";

function list(root: string): Listing {
  requireDirectorySync(root, LAYOUT_HINT);
  const classes = new Map<string, string[]>();
  const entries = readdirSync(root, { withFileTypes: true }).filter((e) => !e.name.startsWith("."));
  for (const entry of entries.filter((e) => e.isDirectory()).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const dir = join(root, entry.name);
    const files = readdirSync(dir)
      .filter((f) => !f.startsWith(".") && isImageFile(f))
      .sort()
      .map((f) => join(dir, f));
    if (files.length === 0) {
      throw new DataError("class folder holds no .png, .jpg or .jpeg files", { file: dir, hint: LAYOUT_HINT });
    }
    classes.set(entry.name, files);
  }
  if (classes.size === 0) {
    const loose = entries.some((e) => e.isFile() && isImageFile(e.name));
    throw new DataError(loose ? "holds pictures but no class sub-folders" : "holds no class sub-folders", {
      file: root,
      hint: loose ? `${LAYOUT_HINT}; for one picture as image regression use image(path: "…")` : LAYOUT_HINT,
    });
  }
  return { classes, root };
}

function listings(dir: string): { train: Listing; test?: Listing } {
  const trainDir = join(dir, "train");
  const testDir = join(dir, "test");
  if (pathKind(trainDir) === "directory" && pathKind(testDir) === "directory") return { train: list(trainDir), test: list(testDir) };
  return { train: list(dir) };
}

function targetSize(args: DataArgs, first: string): [number, number] {
  const size = args.size as number[] | undefined;
  if (size) {
    if (size.length !== 2) throw new DataError(`images(size) must be [height, width], got [${size.join(", ")}]`);
    return [size[0], size[1]];
  }
  const image = readImageFile(first);
  return [image.height, image.width];
}

function describeFolders(args: DataArgs): { description: DataDescription; train: Listing; test?: Listing; size: [number, number]; names: string[] } {
  const { train, test } = listings(args.dir as string);
  const index = classIndex([...train.classes.keys(), ...(test ? test.classes.keys() : [])]);
  const first = [...train.classes.values()][0][0];
  const size = targetSize(args, first);
  const channels = args.gray ? 1 : 3;
  const fraction = args.test_split as number;
  return {
    description: {
      inputShape: [size[0], size[1], channels],
      task: { kind: "classify", classes: index.names.length, classNames: index.names },
      yShape: [],
      range: [0, 1],
      split: test ? "the folder's own train/ and test/ pictures" : seededSplitText(fraction),
    },
    train,
    ...(test ? { test } : {}),
    size,
    names: index.names,
  };
}

/** Bilinear sample of channel c at (y, x) in source pixel coordinates. */
function sample(image: DecodedImage, y: number, x: number, c: number): number {
  const x0 = Math.max(0, Math.min(image.width - 1, Math.floor(x)));
  const y0 = Math.max(0, Math.min(image.height - 1, Math.floor(y)));
  const x1 = Math.min(image.width - 1, x0 + 1);
  const y1 = Math.min(image.height - 1, y0 + 1);
  const fx = Math.max(0, Math.min(1, x - x0));
  const fy = Math.max(0, Math.min(1, y - y0));
  const at = (yy: number, xx: number) => image.rgba[4 * (yy * image.width + xx) + c];
  return (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x1)) + fy * ((1 - fx) * at(y1, x0) + fx * at(y1, x1));
}

function writePixels(image: DecodedImage, size: [number, number], gray: boolean, out: Float32Array, offset: number): void {
  const [height, width] = size;
  const same = image.width === width && image.height === height;
  const channels = gray ? 1 : 3;
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      // Pixel centres map onto pixel centres (align_corners = false).
      const sy = ((row + 0.5) * image.height) / height - 0.5;
      const sx = ((col + 0.5) * image.width) / width - 0.5;
      const rgb = [0, 1, 2].map((c) => (same ? image.rgba[4 * (row * width + col) + c] : sample(image, sy, sx, c)));
      const at = offset + (row * width + col) * channels;
      if (gray) out[at] = (LUMA[0] * rgb[0] + LUMA[1] * rgb[1] + LUMA[2] * rgb[2]) / 255;
      else for (let c = 0; c < 3; c++) out[at + c] = rgb[c] / 255;
    }
  }
}

function readListing(listing: Listing, names: string[], size: [number, number], args: DataArgs): DataExamples {
  const gray = args.gray === true;
  const perImage = size[0] * size[1] * (gray ? 1 : 3);
  const files = [...listing.classes.entries()].flatMap(([name, paths]) => paths.map((path) => ({ path, label: names.indexOf(name) })));
  const x = new Float32Array(files.length * perImage);
  const y = new Int32Array(files.length);
  files.forEach(({ path, label }, i) => {
    const image = readImageFile(path);
    if (args.size === undefined && (image.height !== size[0] || image.width !== size[1])) {
      throw new DataError(`is ${image.width}×${image.height} pixels, but the first picture is ${size[1]}×${size[0]}`, {
        file: path,
        hint: `give every picture one size, or let simc resize them: images(dir: "…", size: [${size[0]}, ${size[1]}])`,
      });
    }
    writePixels(image, size, gray, x, i * perImage);
    y[i] = label;
  });
  return { x, y, count: files.length };
}

/** `withInputs: false` lists the folders and reads only the first picture (for inspection). */
export function readImageFolderSet(args: DataArgs, withInputs: boolean): ReadDataSet {
  const folders = describeFolders(args);
  const empty: DataExamples = { x: new Float32Array(0), y: new Int32Array(0), count: 0 };
  const read = (listing: Listing) => (withInputs ? readListing(listing, folders.names, folders.size, args) : empty);
  return {
    description: folders.description,
    train: read(folders.train),
    ...(folders.test ? { test: read(folders.test) } : {}),
    testFraction: args.test_split as number,
    source: args.dir as string,
  };
}
