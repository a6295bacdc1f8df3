import { elementwise } from "./types.js";

export const identity = elementwise("identity", "Passes its input through unchanged.");
