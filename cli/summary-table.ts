/**
 * The per-model summary of `simc check`: a Keras/torchinfo-style table of layers (with the
 * blocks they came from), output shapes and parameter counts, grouped by part (basis ψ, lift,
 * embedding φ, surrogate ϕ, head g, DEQ cell), then the totals of each target. The same rows
 * make the `layers` of `simc check --json`.
 */
import type { DataDescription } from "../vocabulary/data-forms/types.js";
import { countParams } from "../vocabulary/cells.js";
import type { CheckedModel, LayerInstance, ParamSpec, Shape } from "../compiler/checked-model.js";
import { derivedParams, embeddingParams, layerParams, projectionParams } from "../compiler/model-parts.js";

export type Part = "basis" | "lift" | "embed" | "surrogate" | "head" | "deq";

export interface SummaryRow {
  part: Part;
  /** What the row is: `conv2d`, `residual`, `koopman C·B`, `cell monotone`, … */
  layer: string;
  /** The block applications it came from, outermost first. */
  via: string[];
  /** Parameter path prefix (`basis.0.conv2d`), for layers. */
  path?: string;
  /** Nesting inside residual branches (0 at the top). */
  depth: number;
  /** `shortcut` for the rows of a residual's shortcut branch. */
  branch?: "body" | "shortcut";
  outputShape?: Shape;
  trainable: number;
  frozen: number;
  buffers: number;
}

const PART_TITLES: Record<Part, string> = {
  basis: "basis ψ",
  lift: "lift",
  embed: "embed φ",
  surrogate: "surrogate ϕ",
  head: "head g",
  deq: "DEQ cell",
};

const VARIANT_TITLES: Record<CheckedModel["variant"], string> = {
  single: "single-tier SIM",
  two: "two-tier SIM",
  "rff-only": "RFF-only SIM",
  none: "DEQ",
};

function counts(params: readonly ParamSpec[]) {
  return {
    trainable: countParams(params, "trainable"),
    frozen: countParams(params, "frozen"),
    buffers: countParams(params, "buffer"),
  };
}

function layerRows(part: Part, layers: readonly LayerInstance[], depth = 0, branch?: "body" | "shortcut"): SummaryRow[] {
  const rows: SummaryRow[] = [];
  for (const layer of layers) {
    rows.push({
      part,
      layer: layer.op,
      via: layer.via,
      path: layer.path,
      depth,
      ...(branch ? { branch } : {}),
      outputShape: layer.outputShape,
      ...counts(layer.params),
    });
    if (layer.body) rows.push(...layerRows(part, layer.body, depth + 1, "body"));
    if (layer.shortcut) rows.push(...layerRows(part, layer.shortcut, depth + 1, "shortcut"));
  }
  return rows;
}

const last = (shape: Shape) => shape[shape.length - 1];

/** The rows of a model, part by part. */
export function summaryRows(model: CheckedModel): SummaryRow[] {
  const rows: SummaryRow[] = [...layerRows("basis", model.basis)];
  const psi = model.basis.length ? model.basis[model.basis.length - 1].outputShape : model.input;
  const embed = model.embed;
  if (embed && (model.variant === "two" || model.variant === "rff-only")) {
    const lifted = [...psi.slice(0, -1), embed.n];
    rows.push({
      part: "embed",
      layer: `rff (n ${embed.n}, σ ${embed.sigma}, ${embed.kernel}, ${embed.features})`,
      via: [],
      depth: 0,
      outputShape: lifted,
      ...counts(embeddingParams(model)),
    });
    if (model.variant === "two") {
      rows.push({ part: "embed", layer: `projection E·D (r ${embed.r})`, via: [], depth: 0, outputShape: lifted, ...counts(projectionParams(model)) });
    }
  }
  if (model.lift && model.variant !== "two") {
    const lifted = [...psi.slice(0, -1), model.lift.m];
    rows.push({
      part: "lift",
      layer: `koopman C·B (m ${model.lift.m}, r ${model.lift.r})`,
      via: [],
      depth: 0,
      outputShape: lifted,
      ...counts(projectionParams(model)),
    });
  }
  rows.push(...layerRows("surrogate", model.surrogate));
  const deq = deqRows(model);
  // A pure DEQ reads z* into the head: the cell comes first. A SIM's derived cell is an alternative.
  if (model.variant === "none") rows.push(...deq, ...layerRows("head", model.head));
  else rows.push(...layerRows("head", model.head), ...deq);
  return rows;
}

function deqRows(model: CheckedModel): SummaryRow[] {
  const cell = model.deq?.cell;
  if (cell) {
    const size = cell.args.channels !== undefined ? `${cell.args.channels} channels` : `${cell.args.units} units`;
    const kind = cell.args.kind !== undefined ? `${cell.args.kind}, ` : "";
    return [{ part: "deq", layer: `cell ${cell.family} (${kind}${size})`, via: [], depth: 0, outputShape: cell.stateShape, ...counts(cell.params) }];
  }
  if (model.targets.deq && model.surrogate.length > 0) {
    const state = model.surrogate[model.surrogate.length - 1].outputShape;
    return [{ part: "deq", layer: `derived K, A (state ${last(state)})`, via: [], depth: 0, outputShape: state, ...counts(derivedParams(model)) }];
  }
  return [];
}

const number = (n: number) => n.toLocaleString("en-US");
const shapeText = (shape?: Shape) => (shape ? `[${shape.join(", ")}]` : "");

function paramText(row: SummaryRow): string {
  const parts: string[] = [];
  if (row.trainable || (!row.frozen && !row.buffers)) parts.push(number(row.trainable));
  if (row.frozen) parts.push(`${number(row.frozen)} frozen`);
  return parts.join(" + ");
}

function describeTask(model: CheckedModel): string {
  return model.task.kind === "classify" ? `classify(classes: ${model.task.classes})` : `regress(outputs: ${model.task.outputs})`;
}

/** What the data yields, as the checker inspected it: `data: [4] in [0.1, 7.9] → 3 classes (setosa, …); test: …`. */
function describeData(data: DataDescription): string {
  const range = data.range ? ` in [${data.range.map((v) => Number(v.toPrecision(6))).join(", ")}]` : "";
  const names = data.task.kind === "classify" && data.task.classNames ? ` (${data.task.classNames.slice(0, 5).join(", ")}${data.task.classNames.length > 5 ? ", …" : ""})` : "";
  const yields = data.task.kind === "classify" ? `${data.task.classes} classes${names}` : `${data.task.outputs} output${data.task.outputs === 1 ? "" : "s"}`;
  return `data ${shapeText(data.inputShape)}${range} → ${yields}; ${data.split}`;
}

/** The table and totals of one model, as text. */
export function renderSummary(model: CheckedModel): string {
  const rows = summaryRows(model);
  const header = ["part", "layer", "output shape", "params"];
  const cells = rows.map((row, index) => {
    const first = index === 0 || rows[index - 1].part !== row.part;
    const indent = "  ".repeat(row.depth) + (row.branch === "shortcut" ? "shortcut: " : "");
    const via = row.via.length ? `  (${row.via.join(" › ")})` : "";
    return [first ? PART_TITLES[row.part] : "", `${indent}${row.layer}${via}`, shapeText(row.outputShape), paramText(row)];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) =>
    c.map((text, i) => (i === c.length - 1 ? text.padStart(widths[i]) : text.padEnd(widths[i]))).join("  ").trimEnd();
  const rule = widths.map((w) => "─".repeat(w)).join("  ");

  const out: string[] = [];
  out.push(`model ${model.name} — ${VARIANT_TITLES[model.variant]}  (${model.origin.file}:${model.origin.line}:${model.origin.column})`);
  out.push(`input ${shapeText(model.input)} → ${describeTask(model)}`);
  if (model.data) out.push(describeData(model.data));
  out.push("");
  out.push(line(header), rule);
  for (const c of cells) out.push(line(c));
  out.push(rule);

  for (const target of ["sim", "deq"] as const) {
    const totals = model.targets[target];
    if (!totals) continue;
    const star = model.defaultTarget === target ? " (default)" : "";
    let detail = "";
    if (target === "deq" && model.deq) {
      const cellName = model.deq.cell ? `${model.deq.cell.family} cell` : "derived cell ϕ(K·(u + A z))";
      detail = `  — ${cellName}, ${model.deq.solver.name} solver, ${model.deq.backward.mode} backward`;
    }
    out.push(`${target} target${star}: ${number(totals.trainable)} trainable, ${number(totals.frozen)} frozen${detail}`);
  }
  const buffers = countParams([...allLayerParams(model)], "buffer");
  if (buffers > 0) {
    out.push(`Batch-norm running statistics (${number(buffers)} values) are buffers: counted as neither trainable nor frozen.`);
  }
  if (model.frozenParams > 0 || model.targets.sim?.frozen || model.targets.deq?.frozen) {
    out.push("Frozen parameters (random Fourier features) are fixed at initialisation and not trained.");
  }
  return out.join("\n") + "\n";
}

function allLayerParams(model: CheckedModel): ParamSpec[] {
  const params = [...layerParams(model.basis), ...layerParams(model.surrogate), ...layerParams(model.head)];
  if (model.deq?.cell) params.push(...model.deq.cell.params);
  return params;
}
