/** The elementwise activations: layers of their own, and the σ of DEQ cells. */
export const ACTIVATIONS = ["relu", "tanh", "sigmoid", "softsign", "relu6", "softplus"] as const;

export type ActivationName = (typeof ACTIVATIONS)[number];

export function isActivation(name: string): name is ActivationName {
  return (ACTIVATIONS as readonly string[]).includes(name);
}
