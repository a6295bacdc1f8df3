/**
 * The one rule for `data:`, in a spec and on the command line alike: a name from the catalogue
 * (hyphens stand for underscores), a call with arguments, or a path — with or without `./`,
 * relative to the spec's directory — that is recognised by what it is.
 */
import { existsSync, readdirSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import { closest } from "../../core/suggest.js";
import { bindDataArguments } from "./arguments.js";
import { DATA_SET_ENTRIES, findDataSet, type DataSetEntry } from "../data-sets.js";
import { readCsvTable, defaultDelimiter } from "./csv-table.js";
import { DataError } from "./errors.js";
import { pathKind } from "./file-bytes.js";
import { isImageFile } from "./image-files.js";
import type { DataArgs, DataValue } from "./types.js";

export interface ResolvedData {
  form: DataSetEntry;
  args: DataArgs;
}

/** Every form with its parameters: `mnist, …, copy_memory(T, train, test), …`. */
export function validDataForms(): string {
  return DATA_SET_ENTRIES.map((d) => (d.settings.length === 0 ? d.name : `${d.name}(${d.settings.map((p) => p.name).join(", ")})`)).join(", ");
}

function didYouMean(name: string): string {
  const suggestions = suggestDataForms(name);
  return suggestions.length ? `did you mean ${suggestions.join(" or ")}? ` : "";
}

/**
 * The catalogue names a mistyped name most likely means. A name whose parts are abbreviated
 * (`fmnist`, `fashionmnist` for `fashion_mnist`) wins over one that is merely close in spelling.
 */
export function suggestDataForms(name: string): string[] {
  const typed = name.toLowerCase().replace(/-/g, "_");
  const squashed = typed.replace(/_/g, "");
  const abbreviated = DATA_SET_ENTRIES.filter((form) => {
    const parts = form.name.split("_");
    if (parts.length < 2) return false;
    const last = parts[parts.length - 1];
    const initials = parts.slice(0, -1).map((p) => p[0]).join("") + last;
    return squashed === initials || squashed === parts.join("");
  }).map((f) => f.name);
  if (abbreviated.length) return abbreviated;
  const near = closest(typed, DATA_SET_ENTRIES.map((f) => f.name));
  return near ? [near] : [];
}

function unknownName(name: string, path: string): DataError {
  return new DataError(`unknown data set '${name}'`, {
    hint: `${didYouMean(name)}valid data sets: ${validDataForms()}; or a path to your own data (there is no file or directory ${path}; see docs/data.md)`,
  });
}

function looksLikePath(text: string): boolean {
  return /[\\/]/.test(text) || extname(text) !== "";
}

/** What a bare file is, by its extension. */
function fileForm(path: string): ResolvedData {
  const ext = extname(path).toLowerCase();
  if (isImageFile(path)) return bind("image", { path });
  if (ext === ".npz") return bind("npz", { path });
  if (ext === ".csv" || ext === ".tsv" || ext === ".tab") {
    const table = readCsvTable(path, defaultDelimiter(path));
    const name = ext === ".csv" ? "csv" : "tsv";
    throw new DataError(`a table needs the column to predict`, {
      file: path,
      line: 1,
      hint: `write ${name}(path: "…", label: "<class column>") or target: "<numeric column>"; the header names: ${table.columns.join(", ")}`,
    });
  }
  if (ext === ".npy") {
    throw new DataError("one .npy file holds one array; the targets need another", {
      file: path,
      hint: 'write npy(x: "x.npy", y: "y.npy"), or save both in one archive with numpy.savez(…, x=x, y=y)',
    });
  }
  throw new DataError("cannot tell what data this file holds", {
    file: path,
    hint: `simc reads .png/.jpg/.jpeg (image regression), .csv/.tsv, .npy and .npz files, or name the form: ${validDataForms()}`,
  });
}

/** What a bare directory holds, by the files in it. */
function directoryForm(path: string): ResolvedData {
  const has = (name: string) => existsSync(join(path, name));
  if (["train-images-idx3-ubyte", "train-images-idx3-ubyte.gz", "train-images.idx3-ubyte", "train-images.idx3-ubyte.gz"].some(has)) {
    return bind("mnist_idx", { dir: path });
  }
  if (has("data_batch_1.bin") || has("cifar-10-batches-bin")) return bind("cifar10", { dir: path });
  if (has("train_32x32.mat")) return bind("svhn", { dir: path });
  const folders = readdirSync(path, { withFileTypes: true }).filter((e) => e.isDirectory() && !e.name.startsWith("."));
  const holdsImages = (dir: string): boolean =>
    readdirSync(dir, { withFileTypes: true }).some((e) => (e.isFile() && isImageFile(e.name)) || (e.isDirectory() && holdsImages(join(dir, e.name))));
  if (folders.length > 0 && folders.some((f) => holdsImages(join(path, f.name)))) return bind("images", { dir: path });
  throw new DataError("cannot tell which data set this directory holds", {
    file: path,
    hint: "expected IDX files (train-images-idx3-ubyte…), CIFAR-10 batches (data_batch_1.bin…), SVHN (train_32x32.mat) or one sub-folder of pictures per class; or name the form, e.g. csv(path: \"…\", label: \"…\")",
  });
}

function bind(name: string, args: Record<string, DataValue>, baseDir = "/"): ResolvedData {
  const form = findDataSet(name)!;
  return { form, args: bindDataArguments(form, args, baseDir) };
}

function pathForm(text: string, baseDir: string): ResolvedData {
  const path = resolve(baseDir, text);
  const kind = pathKind(path);
  if (kind === "file") return fileForm(path);
  if (kind === "directory") return directoryForm(path);
  if (!looksLikePath(text)) throw unknownName(text, path);
  throw new DataError("no such file or directory", {
    file: path,
    hint: `give a data set name (${validDataForms()}) or an existing path; paths in data: are relative to the spec's directory (for --data, to the current directory)`,
  });
}

/** A `data:` value → the form and its bound arguments; throws `DataError` when it names nothing. */
export function resolveData(value: DataValue, baseDir: string): ResolvedData {
  if (typeof value === "string") {
    const form = findDataSet(value);
    // A name wins over a file of that name; write "./mnist" for the file.
    if (form && !value.startsWith(".")) return { form, args: bindDataArguments(form, {}, baseDir) };
    return pathForm(value, baseDir);
  }
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    const form = findDataSet(value.call);
    if (!form) throw new DataError(`unknown data set '${value.call}'`, { hint: `${didYouMean(value.call)}valid data sets: ${validDataForms()}` });
    return { form, args: bindDataArguments(form, value.args, baseDir) };
  }
  throw new DataError(`data must be a data set name or call, got ${JSON.stringify(value)}`, {
    hint: `valid data sets: ${validDataForms()}, or a path in quotes`,
  });
}
