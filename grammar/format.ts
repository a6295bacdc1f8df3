/** Formatting a `.sim` text with the Prettier plugin, as `simc fmt` and generated specs do. */
import * as prettier from "prettier";
import plugin from "./prettier-plugin.js";

/** Formats `text` as the file at `file` (its Prettier configuration applies). */
export async function formatSim(text: string, file: string): Promise<string> {
  const config = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
  return prettier.format(text, { ...config, filepath: file, parser: "sim", plugins: [plugin] });
}
