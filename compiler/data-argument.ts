/**
 * `--data` on the command line, written as in a spec: a name (`fashion-mnist`), a call
 * (`csv(path: "x.csv", label: "y")`) or a path (`./idx-u8`, `photos/`). A call is parsed and
 * evaluated by the spec's own grammar and evaluator; anything else is a name or a path.
 */
import type { Value } from "../core/values.js";
import { parseDocument } from "../grammar/parse.js";
import { DataError } from "../vocabulary/data-forms/errors.js";
import { evaluate } from "./evaluate.js";
import { Reporter } from "./reporter.js";
import { dataExpression } from "./rules/train-data.js";
import { toValue } from "./values.js";

const PREFIX = "model cli { train { data: ";

/** The `data:` value that `text` writes; throws `DataError` when a call does not parse. */
export function parseDataArgument(text: string): Value {
  const trimmed = text.trim();
  if (!/^[A-Za-z_][\w-]*\s*\(/.test(trimmed)) return trimmed;
  const source = `${PREFIX}${trimmed} } }`;
  const parsed = parseDocument(source, "--data");
  const problem = (message: string, offset: number) =>
    new DataError(`--data: ${message} (column ${Math.max(0, offset) + 1} of ${JSON.stringify(trimmed)})`, {
      hint: 'write it as in a spec, in single quotes for the shell: --data \'csv(path: "x.csv", label: "y")\'',
    });
  const syntax = parsed.diagnostics.find((d) => d.severity === "error");
  if (syntax) throw problem(syntax.message, syntax.loc.start - PREFIX.length);
  const model = parsed.document.declarations.find((d) => d.kind === "ModelDecl");
  const section = model?.kind === "ModelDecl" ? model.items.find((i) => i.kind === "Section" && i.key.name === "train") : undefined;
  const property = section?.kind === "Section" ? section.body.find((s) => s.kind === "Property" && s.key.name === "data") : undefined;
  const expr = property?.kind === "Property" ? property.value : undefined;
  const reporter = new Reporter();
  const value = evaluate(dataExpression(expr), { file: "--data", scope: new Map(), reporter });
  const error = reporter.diagnostics.find((d) => d.severity === "error");
  if (error || !value) throw problem(error?.message ?? "expected a data set call such as csv(path: \"x.csv\", label: \"y\")", (error?.loc.start ?? PREFIX.length) - PREFIX.length);
  return toValue(value);
}
