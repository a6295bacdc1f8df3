/**
 * SimStructureRule: decides which SIM the parts describe and fixes the lift and the embedding.
 *   basis + lift/surrogate (no embed) → single-tier: C·B on ψ(x), m = ψ's width, r = m/2
 *   basis + embed                     → two-tier: E·D on φ(ψ(x)), rank = embed's r (n/2)
 *   embed without basis               → RFF-only: C·B on φ(x), m = n
 * Checks that the lift's m matches what it lifts, 1 ≤ r ≤ m, and that a surrogate exists.
 */
import { formatShape } from "../layers/index.js";
import type { Place } from "../reporter.js";
import type { LiftProjection } from "../checked-model.js";
import { lastAxis, type ModelContext } from "./context.js";

export function SimStructureRule(ctx: ModelContext): void {
  const d = ctx.draft;
  const basis = ctx.section("basis");
  const lift = ctx.property("lift");
  const embed = ctx.property("embed");
  const surrogate = ctx.section("surrogate");
  if (!lift && !embed && !surrogate) return; // a pure DEQ model (or nothing: TargetsRule says so)

  const partAt = ctx.place((lift ?? embed ?? surrogate)!.key.loc);
  if (!basis && !embed) {
    ctx.report("SIM4010", partAt, `model '${ctx.name}' has SIM parts but nothing to lift: no basis and no embedding`, {
      hint: "add basis { … } (a single-tier SIM) or embed: rff(n: …, sigma: …) (an RFF-only SIM)",
    });
    d.broken = true;
    return;
  }
  if (!surrogate) {
    ctx.report("SIM4010", ctx.modelPlace, `model '${ctx.name}' has no surrogate ϕ to map the lifted state back`, {
      hint: "add surrogate { dense(units: 32) relu() dense(units: 32) }",
    });
    d.broken = true;
  }
  d.variant = embed ? (basis ? "two" : "rff-only") : "single";
  if (d.broken) return;

  const liftArgs = d.liftArgs;
  const liftAt = liftArgs?.at ?? ctx.modelPlace;
  switch (d.variant) {
    case "single": {
      const psi = featureShape(ctx, d.basis?.shape, "basis");
      if (!psi) return;
      const m = checkLiftWidth(ctx, lastAxis(psi), "ψ's output width");
      if (m === undefined) return;
      const r = checkRank(ctx, liftArgs?.r ?? defaultRank(m), m, liftArgs?.rAt ?? liftAt, liftArgs?.r === undefined, "m");
      if (r === undefined) return;
      d.lift = { m, r, ...projectionOf(liftArgs), origin: origin(ctx, liftAt) };
      d.lifted = [...psi];
      return;
    }
    case "two": {
      const psi = featureShape(ctx, d.basis?.shape, "basis");
      const e = d.embedArgs;
      if (!psi || !e) return;
      if (liftArgs && checkLiftWidth(ctx, lastAxis(psi), "ψ's output width") === undefined) return;
      if (liftArgs?.r !== undefined) {
        ctx.report("SIM4025", liftArgs.rAt!, "koopman's r has no effect in a two-tier SIM: the projection E·D acts on the second tier", {
          hint: "set the rank with embed: rff(…, r: …)",
        });
      }
      const r = checkRank(ctx, e.r ?? defaultRank(e.n), e.n, e.at, e.r === undefined, "n");
      if (r === undefined) return;
      // The lift's projection setting shapes the projection that exists here: E·D.
      d.embed = { kind: "rff", n: e.n, r, sigma: e.sigma, kernel: e.kernel, features: e.features, ...projectionOf(liftArgs), origin: origin(ctx, e.at) };
      d.lifted = [...psi.slice(0, -1), e.n];
      return;
    }
    case "rff-only": {
      const x = d.input;
      const e = d.embedArgs;
      if (!x || !e) return;
      if (x.length > 2) {
        ctx.report(
          "SIM3006",
          e.at,
          `an RFF-only SIM embeds the raw input, which must be a vector or a sequence, got ${formatShape(x)}`,
          { hint: "add a basis { … } that ends in a vector (a two-tier SIM)" },
        );
        return;
      }
      if (liftArgs?.m !== undefined && liftArgs.m !== e.n) {
        ctx.report("SIM3005", liftArgs.mAt!, `koopman(m: ${liftArgs.m}) must equal the embedding's n = ${e.n} in an RFF-only SIM`, {
          hint: `write m: ${e.n}, or leave m out`,
        });
        return;
      }
      if (liftArgs?.r !== undefined && e.r !== undefined && liftArgs.r !== e.r) {
        ctx.report("SIM4025", e.at, `rff's r = ${e.r} has no effect: the lift's r = ${liftArgs.r} sets the rank of C·B`, {
          hint: "give the rank in one place",
        });
      }
      const given = liftArgs?.r ?? e.r;
      const r = checkRank(ctx, given ?? defaultRank(e.n), e.n, liftArgs?.rAt ?? e.at, given === undefined, "n");
      if (r === undefined) return;
      d.embed = { kind: "rff", n: e.n, r, sigma: e.sigma, kernel: e.kernel, features: e.features, origin: origin(ctx, e.at) };
      d.lift = { m: e.n, r, ...projectionOf(liftArgs), origin: origin(ctx, liftAt === ctx.modelPlace ? e.at : liftAt) };
      d.lifted = [...x.slice(0, -1), e.n];
      return;
    }
  }
}

/** `projection: orthogonal` when the lift asks for it; nothing for the default (free). */
function projectionOf(liftArgs: { projection?: LiftProjection } | undefined): { projection?: LiftProjection } {
  return liftArgs?.projection === "orthogonal" ? { projection: "orthogonal" } : {};
}

function origin(ctx: ModelContext, at: Place) {
  return ctx.origin(at.loc);
}

/** r defaults to m/2 (integer division), at least 1. */
function defaultRank(m: number): number {
  return Math.max(1, Math.floor(m / 2));
}

/** ψ must end in a vector or a sequence of feature vectors for the lift to act on its last axis. */
function featureShape(ctx: ModelContext, shape: number[] | undefined, part: string): number[] | undefined {
  if (!shape) return undefined;
  if (shape.length === 1 || shape.length === 2) return shape;
  const section = ctx.section(part)!;
  ctx.report(
    "SIM3006",
    ctx.place(section.key.loc),
    `the ${part} ends in ${formatShape(shape)}, but the lift needs a vector [m] or a sequence [length, m]`,
    { hint: "end the basis with flatten() and dense(units: m)" },
  );
  return undefined;
}

function checkLiftWidth(ctx: ModelContext, width: number, what: string): number | undefined {
  const liftArgs = ctx.draft.liftArgs;
  if (liftArgs?.m !== undefined && liftArgs.m !== width) {
    ctx.report("SIM3005", liftArgs.mAt!, `koopman(m: ${liftArgs.m}) does not match ${what} ${width}`, {
      hint: `write m: ${width}, leave m out, or change the basis's last layer to dense(units: ${liftArgs.m})`,
    });
    return undefined;
  }
  return width;
}

function checkRank(ctx: ModelContext, r: number, m: number, at: Place, defaulted: boolean, dim: string): number | undefined {
  if (r < 1 || r > m) {
    ctx.report(
      "SIM4008",
      at,
      r < 1 ? `rank r = ${r} must be at least 1` : `rank r = ${r} exceeds ${dim} = ${m}: the projection has rank at most ${m}`,
      { hint: `choose 1 ≤ r ≤ ${m}; the paper's code uses r = ${dim}/2 = ${defaultRank(m)}` },
    );
    return undefined;
  }
  if (r === m && !defaulted) {
    ctx.report("SIM4009", at, `r = ${dim} = ${m}: the projection is a full-rank square map, not a low-rank projection`, {
      hint: `the paper's code uses r = ${dim}/2 = ${defaultRank(m)}`,
    });
  }
  return r;
}
