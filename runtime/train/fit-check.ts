/**
 * Does a data set fit a model? Input shape, task kind, number of classes or outputs, and the
 * loss must agree before any step runs; the message says what each side has.
 */
import type { IRModule } from "../../ir/types.js";
import type { Dataset } from "../data/types.js";
import type { LossName } from "./loss.js";

const shape = (s: readonly number[]) => `[${s.join(", ")}]`;

export function dataFitProblem(module: IRModule, dataset: Dataset, loss: LossName): string | undefined {
  const name = `data set '${dataset.name}'`;
  if (shape(module.input.shape) !== shape(dataset.inputShape)) {
    return `${name} has inputs of shape ${shape(dataset.inputShape)}, but model '${module.model}' takes ${shape(module.input.shape)}`;
  }
  const outputId = module.graph.outputs[0];
  const outputShape = module.graph.nodes.find((n) => n.id === outputId)?.shape;
  if (module.task.kind === "classify") {
    if (dataset.task !== "classify") return `${name} is a regression set, but model '${module.model}' classifies`;
    if (dataset.classes !== undefined && dataset.classes > module.task.classes) {
      return `${name} has ${dataset.classes} classes, but model '${module.model}' predicts ${module.task.classes}`;
    }
    if (loss !== "cross_entropy") return `model '${module.model}' classifies; use loss: cross_entropy (got ${loss})`;
    if (outputShape && shape(outputShape) !== shape([...dataset.train.yShape, module.task.classes])) {
      return `${name} has labels of shape ${shape(dataset.train.yShape)} per example, but model '${module.model}' outputs ${shape(outputShape)} (expected ${shape([...dataset.train.yShape, module.task.classes])})`;
    }
    return undefined;
  }
  if (dataset.task !== "regress") return `${name} is a classification set, but model '${module.model}' is a regression model`;
  if (loss !== "mse") return `model '${module.model}' regresses; use loss: mse (got ${loss})`;
  if (outputShape && shape(outputShape) !== shape(dataset.train.yShape)) {
    return `${name} has targets of shape ${shape(dataset.train.yShape)} per example, but model '${module.model}' outputs ${shape(outputShape)}`;
  }
  return undefined;
}
