import * as tf from "../../runtime/tf.js";
import { beforeAll, describe, expect, it } from "vitest";
import { runImplicit } from "../../runtime/deq/implicit.js";
import { ImplicitSession } from "../../runtime/deq/session.js";
import { cellVariables, disposeAll, implicitAttrs, useCpu } from "./helpers.js";

beforeAll(useCpu);

describe("an implicit node's session", () => {
  it("reads the settings and builds the cell once; without a session every call reads them", () => {
    const { params, stateShape } = cellVariables("dense", { kind: "dense", units: 4 }, [3], 9);
    const x = tf.zeros([2, 3]);
    const attrs = implicitAttrs("dense", { units: 4 }, stateShape, "anderson");
    const session = new ImplicitSession();
    const call = (withSession: boolean) =>
      runImplicit({ label: "m", attrs, inputs: [x], params, training: false, ...(withSession ? { session } : {}) }).output.dispose();
    call(true);
    expect(session.specs?.forward.name).toBe("anderson");
    const built = session.cell?.built;
    expect(built).toBeDefined();
    // Settings changed behind its back are not re-read: the session trusts what it verified.
    attrs.solver.settings = { memory: 0 };
    expect(() => call(true)).not.toThrow();
    expect(session.cell?.built).toBe(built);
    expect(() => call(false)).toThrow(/"memory" must be an integer ≥ 1|must be ≥ 1/);
    session.dispose();
    expect(session.cell).toBeUndefined();
    x.dispose();
    disposeAll(params);
  });
});
