/** The elementwise activations: layers of their own, and the σ of DEQ cells. */
export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "softsign", "relu6", "softplus"] as const;

export type ActivationName = (typeof ACTIVATIONS)[number];

/** σ of generic (dense, conv) DEQ cells: the activations above, plus leaky relu (slope 0.01), elu and the identity (a linear cell). */
export const CELL_ACTIVATIONS = [...ACTIVATIONS, "leaky_relu", "elu", "identity"] as const;

export type CellActivationName = (typeof CELL_ACTIVATIONS)[number];

export function isActivation(name: string): name is ActivationName {
  return (ACTIVATIONS as readonly string[]).includes(name);
}
