/**
 * simc's elementwise activations as single operators of each format, where one exists (ONNX
 * and TensorFlow share these names). The rest are composed by each writer: relu6 (ONNX `Clip`),
 * softsign (TensorFlow has none), softplus with sharpness β (softplus(βx)/β).
 */
export const PLAIN_ACTIVATION_OPS: Readonly<Record<string, { op: string; alpha?: number }>> = {
  relu: { op: "Relu" },
  tanh: { op: "Tanh" },
  sigmoid: { op: "Sigmoid" },
  elu: { op: "Elu", alpha: 1 },
  leaky_relu: { op: "LeakyRelu", alpha: 0.01 },
  identity: { op: "Identity" },
};
