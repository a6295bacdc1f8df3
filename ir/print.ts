/**
 * A human-readable listing of an IR module, one line per node, like a network viewer in text:
 *
 *   %basis.0.conv2d = conv2d(%input) kernel=[3,3] stride=[1,1] dilation=[1,1] padding=same : [28,28,24]
 *       params: basis.0.conv2d.weight [3,3,1,24], basis.0.conv2d.bias [24]
 *
 * Implicit bodies are indented under their node. Meant for people: shown
 * in tests and when debugging lowering; not a format other tools should parse (they read the JSON).
 */
import type { AttrValue, IRGraph, IRModule, IRNode, IRParam } from "./types.js";

const shapeText = (shape: readonly number[]) => `[${shape.join(",")}]`;

function attrText(value: AttrValue): string {
  if (Array.isArray(value)) return `[${value.map(attrText).join(",")}]`;
  if (value !== null && typeof value === "object") {
    if ("call" in value && "args" in value && typeof value.call === "string") return `${value.call}(${attrText(value.args as AttrValue)})`;
    return `{${Object.entries(value)
      .map(([k, v]) => `${k}: ${attrText(v)}`)
      .join(", ")}}`;
  }
  return String(value);
}

function nodeLines(node: IRNode, params: Map<string, IRParam>, indent: string): string[] {
  const head = node.op === "input" ? `%${node.id} = input` : `%${node.id} = ${node.op}(${node.inputs.map((i) => `%${i}`).join(", ")})`;
  const attrs = Object.entries(node.attrs)
    .filter(([key]) => key !== "stateShape")
    .map(([key, value]) => `${key}=${attrText(value)}`);
  const lines = [`${indent}${[head, ...attrs].join(" ")} : ${shapeText(node.shape)}`];
  if (node.params.length > 0) {
    const listed = node.params.map((name) => {
      const p = params.get(name);
      const tag = p && p.kind !== "trainable" ? ` (${p.kind})` : "";
      return `${name} ${p ? shapeText(p.shape) : "?"}${tag}`;
    });
    lines.push(`${indent}    params: ${listed.join(", ")}`);
  }
  if (node.body) lines.push(...graphLines(node.body, params, `${indent}    | `));
  return lines;
}

function graphLines(graph: IRGraph, params: Map<string, IRParam>, indent: string): string[] {
  const lines = graph.nodes.flatMap((node) => nodeLines(node, params, indent));
  lines.push(`${indent}return ${graph.outputs.map((o) => `%${o}`).join(", ")}`);
  return lines;
}

export function printIR(m: IRModule): string {
  const params = new Map(m.params.map((p) => [p.name, p]));
  const task = m.task.kind === "classify" ? `classify(${m.task.classes})` : `regress(${m.task.outputs})`;
  const header = [
    `model ${m.model}  target ${m.target}${m.variant ? ` (${m.variant})` : ""}  input ${shapeText(m.input.shape)}  ${task}`,
    `parameters: ${m.trainableParams.toLocaleString("en-US")} trainable, ${m.frozenParams.toLocaleString("en-US")} frozen`,
  ];
  if (m.certificate) header.push(`well-posedness: ${m.certificate.guaranteed ? "guaranteed" : "not guaranteed"} — ${m.certificate.statement}`);
  return [...header, "", ...graphLines(m.graph, params, "")].join("\n") + "\n";
}
