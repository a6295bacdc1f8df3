/**
 * What one implicit node keeps between calls within one executor: its solver and backward
 * settings (read once), its explicit cell (built and checked once per injection shape), whether
 * its derived body was checked, and its monotone resolvent. The executor owns one per node and
 * frees them on dispose, so two executors never share or clear each other's state.
 */
import type { BuiltCell } from "./cells/index.js";
import { ResolventCache } from "./cells/monotone.js";
import type { BackwardSpec, SolverSpec } from "./types.js";

export class ImplicitSession {
  specs?: { forward: SolverSpec; backward: BackwardSpec };
  /** The explicit cell and the injection shape it was built for. */
  cell?: { shape: string; built: BuiltCell };
  bodyChecked = false;
  readonly resolvents = new ResolventCache();

  dispose(): void {
    this.resolvents.clear();
    this.cell = undefined;
  }
}
