/**
 * The explicit DEQ cell families and their settings, and pcDEQ's valid pairings of injection and
 * activation. Parameter layouts live next door (`cells.ts`).
 */
import { ACTIVATIONS, CELL_ACTIVATIONS } from "./activations.js";
import { byName, is, S, type SettingDef, type Value, type VocabularyEntry } from "./settings.js";

export const CELL_FAMILIES = ["dense", "conv", "monotone", "pcdeq", "linf"] as const;
/** The explicit DEQ cell families (`deq { cell: … }`). */
export type CellFamily = (typeof CELL_FAMILIES)[number];

/** pcDEQ's valid pairings: injection → the activations it may be paired with. */
export const PCDEQ_PAIRS: Readonly<Record<string, readonly string[]>> = {
  softplus: ["tanh", "softsign", "relu6"],
  relu: ["sigmoid"],
};

const norm: SettingDef = { name: "norm", type: S.oneOf("none", "weight", "spectral"), default: is("none"), doc: "reparameterisation of W" };
const jacReg: SettingDef = { name: "jac_reg", type: S.nonNegative(), default: is(0), doc: "Jacobian regularisation weight" };
const kind: SettingDef = { name: "kind", type: S.oneOf("dense", "conv"), default: is("dense"), doc: "vector (dense) or image (conv) state" };
const units: SettingDef = { name: "units", type: S.int(1), optional: true, doc: "state width (dense kind)" };
const channels: SettingDef = { name: "channels", type: S.int(1), optional: true, doc: "state channels (conv kind)" };
const kernel: SettingDef = { name: "kernel", type: S.oddInt(), default: is(3), doc: "kernel size (conv kind)" };
const activation: SettingDef = { name: "activation", type: S.oneOf(...CELL_ACTIVATIONS), default: is("relu"), doc: "σ" };

const named = (bound: Readonly<Record<string, Value>>, key: string) => (typeof bound[key] === "string" ? bound[key] : undefined);

export const CELL_ENTRIES: readonly (VocabularyEntry & { name: CellFamily })[] = [
  {
    name: "dense",
    doc: "f(z, x) = σ(W z + U x + b) on a vector state.",
    settings: [{ name: "units", type: S.int(1), doc: "state width" }, activation, norm, jacReg],
  },
  {
    name: "conv",
    doc: "f(z, x) = σ(W ∗ z + U ∗ x + b) on an image state.",
    settings: [{ name: "channels", type: S.int(1), doc: "state channels" }, kernel, activation, norm, jacReg],
  },
  {
    name: "monotone",
    doc: "monDEQ: W = (1−m)I − AᵀA + B − Bᵀ, relu; well-posed by construction.",
    settings: [kind, units, channels, kernel, { name: "m", type: S.positive(), default: is(1.0), doc: "monotonicity margin" }],
  },
  {
    name: "pcdeq",
    doc: "Positive concave DEQ: nonnegative W, concave positive activation.",
    settings: [
      kind,
      units,
      channels,
      kernel,
      {
        name: "activation",
        type: S.oneOf(...new Set(Object.values(PCDEQ_PAIRS).flat())),
        // pcDEQ-2 pairs a relu injection with sigmoid; otherwise pcDEQ-1's tanh.
        default: { rule: (bound) => (named(bound, "injection") === "relu" ? "sigmoid" : "tanh") },
        doc: "concave positive σ",
      },
      {
        name: "injection",
        type: S.oneOf(...Object.keys(PCDEQ_PAIRS)),
        default: { rule: (bound) => (named(bound, "activation") === "sigmoid" ? "relu" : "softplus") },
        doc: "nonlinearity on U x + b",
      },
      { name: "beta", type: S.positive(), default: is(5), doc: "softplus sharpness" },
    ],
  },
  {
    name: "linf",
    doc: "ℓ∞-contractive cell z = Φ(A z + B x + b) with μ∞(A) ≤ m < 1 by construction.",
    settings: [
      { name: "units", type: S.int(1), doc: "state width" },
      { name: "m", type: S.float(undefined, 1, { maxExclusive: true }), default: is(0.95), doc: "bound on μ∞(A)" },
      { ...activation, type: S.oneOf(...ACTIVATIONS.filter((a) => a !== "softplus")) },
      { name: "lipschitz_reg", type: S.nonNegative(), default: is(0), doc: "weight of the Lipschitz-bound regulariser" },
    ],
  },
];

export const CELLS: ReadonlyMap<string, VocabularyEntry> = byName(CELL_ENTRIES);

/** Whether a cell's state is a vector (`dense`) or an image (`conv`): fixed by dense, linf and conv; monotone and pcdeq say which. */
export function stateKind(family: CellFamily, kind: unknown): "dense" | "conv" {
  if (family === "conv") return "conv";
  if (family === "dense" || family === "linf") return "dense";
  return kind === "conv" ? "conv" : "dense";
}
