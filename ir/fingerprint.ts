/**
 * A fingerprint of a compiled model: a hash of everything that decides what its parameters
 * mean (the graph's ops, attributes and shapes, each parameter's shape, kind, initialiser and
 * seed), and not of where it was written (source locations) or how it is trained. Two modules
 * with the same fingerprint can load each other's checkpoints and compute the same function.
 * Per-part hashes name what changed when two fingerprints differ.
 */
import { createHash } from "node:crypto";
import type { IRGraph, IRModule } from "./types.js";

export interface ModelFingerprint {
  hash: string;
  /** `param NAME` and `node ID` → hash of that part. */
  parts: Record<string, string>;
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** JSON with object keys sorted, so the hash does not depend on the order keys were written. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

function graphParts(graph: IRGraph, prefix: string, parts: Record<string, string>): void {
  for (const node of graph.nodes) {
    const id = `${prefix}${node.id}`;
    parts[`node ${id}`] = sha256(
      canonical({
        op: node.op,
        inputs: node.inputs,
        params: node.params,
        attrs: node.attrs,
        shape: node.shape,
      }),
    );
    if (node.body) graphParts(node.body, `${id}/`, parts);
  }
  parts[`graph ${prefix || "main"}`] = sha256(canonical({ inputs: graph.inputs, outputs: graph.outputs }));
}

export function modelFingerprint(module: IRModule): ModelFingerprint {
  const parts: Record<string, string> = {
    model: sha256(
      canonical({
        target: module.target,
        variant: module.variant,
        input: module.input,
        task: module.task,
      }),
    ),
  };
  for (const p of module.params) {
    parts[`param ${p.name}`] = sha256(
      canonical({
        shape: p.shape,
        kind: p.kind,
        init: p.init,
        seed: p.seed,
        constraint: p.constraint,
      }),
    );
  }
  graphParts(module.graph, "", parts);
  return { hash: sha256(canonical(parts)), parts };
}

/** The parts of `saved` that `now` lacks or holds differently, and the parts only `now` has. */
export function fingerprintChanges(
  saved: ModelFingerprint,
  now: ModelFingerprint,
): { changed: string[]; added: string[]; removed: string[] } {
  const changed = Object.keys(saved.parts).filter((k) => k in now.parts && now.parts[k] !== saved.parts[k]);
  const removed = Object.keys(saved.parts).filter((k) => !(k in now.parts));
  const added = Object.keys(now.parts).filter((k) => !(k in saved.parts));
  return { changed, added, removed };
}
