import type { Shape } from "../checked-model.js";
import { formatShape, type ShapeProblem } from "./types.js";

/**
 * `residual { body } shortcut { branch }`: the output is body(x) + branch(x); an absent or
 * empty shortcut is the identity. Both branches must produce the same shape.
 */
export function residualProblem(body: Shape, shortcut: Shape, shortcutIsIdentity: boolean): ShapeProblem | undefined {
  if (body.length === shortcut.length && body.every((d, i) => d === shortcut[i])) return undefined;
  const channelsOnly =
    body.length === shortcut.length && body.slice(0, -1).every((d, i) => d === shortcut[i]) && body.length >= 2;
  const conv = body.length === 2 ? "conv1d" : "conv2d";
  const hint = channelsOnly
    ? `${shortcutIsIdentity ? "add a shortcut { " : "end the shortcut with "}${conv}(channels: ${body[body.length - 1]}, kernel: 1)${shortcutIsIdentity ? " }" : ""} to match the channels`
    : "make both branches produce the same shape";
  return {
    code: "SIM3003",
    message: `residual branches differ: the body gives ${formatShape(body)}, the shortcut gives ${formatShape(shortcut)}${shortcutIsIdentity ? " (the identity)" : ""}`,
    hint,
  };
}
