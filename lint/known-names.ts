/** Names the language gives meaning to before any declaration: the built-in layers. */
import { LAYERS } from "../compiler/layers/index.js";

export function isLayerName(name: string): boolean {
  return LAYERS.has(name);
}
