/**
 * TensorFlow.js as simc uses it: `@tensorflow/tfjs-core` with every gradient and chained
 * operation registered, and the plain-JavaScript `cpu` backend. The layers, converter, data and
 * WebGL packages of the `@tensorflow/tfjs` bundle are not needed; the wasm and webgpu backends
 * are loaded by `runtime/backend/` when chosen.
 */
import "@tensorflow/tfjs-core";
import "./vendor/tfjs-registrations.js";
import "@tensorflow/tfjs-backend-cpu";
// The chained operations' method types (x.reshape(…), x.mul(…)); registered by the import above.
import type {} from "@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js";

export * from "@tensorflow/tfjs-core";
