import { describe, expect, it } from "vitest";
import { check, codes, onlyModel } from "./helpers.js";

const sim = (items: string, basis = "dense(units: 50)", input = "[2]") => `model m {
  input: ${input}
  task: regress(outputs: 3)
  basis { ${basis} }
  surrogate { dense(units: 16) }
  ${items}
  train { data: "pixels.png" }
}
`;

describe("SIM structure", () => {
  it("defaults the lift to m = ψ's width and r = m/2, and counts B and C", () => {
    const model = onlyModel(check(sim("")));
    expect(model.variant).toBe("single");
    expect(model.lift).toMatchObject({ m: 50, r: 25 });
    // ψ 150 + B, C 2·50·25 + ϕ 816 + default head dense 16→3 (51)
    expect(model.targets.sim).toEqual({ trainable: 150 + 2500 + 816 + 51, frozen: 0 });
    expect(model.head.map((l) => [l.op, l.args.units, l.origin.line])).toEqual([["dense", 3, 1]]);
    expect(onlyModel(check(sim("lift: koopman(r: 10)"))).lift).toMatchObject({ m: 50, r: 10 });
  });

  it("checks the lift against the basis and the rank against m", () => {
    expect(codes(check(sim("lift: koopman(m: 40)")))).toEqual(["SIM3005@6:20"]);
    expect(codes(check(sim("lift: koopman(r: 51)")))).toEqual(["SIM4008@6:20"]);
    expect(codes(check(sim("lift: koopman(r: 0)")))).toEqual(["SIM4008@6:20"]);
    const full = check(sim("lift: koopman(m: 50, r: 50)"));
    expect(full.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(["SIM4009 info"]);
    expect(full.models).toHaveLength(1);
    expect(codes(check(sim("", "conv2d(channels: 2)", "[4, 4, 1]")))).toEqual(["SIM3006@4:3"]);
  });

  it("builds a two-tier SIM from basis + embed, with frozen features and E·D of rank n/2", () => {
    const model = onlyModel(check(sim("embed: rff(n: 20, sigma: 2.0)")));
    expect(model.variant).toBe("two");
    expect(model.lift).toBeUndefined();
    expect(model.embed).toMatchObject({ n: 20, r: 10, sigma: 2, kernel: "gauss", features: "cossin" });
    expect(model.surrogate[0].inputShape).toEqual([20]);
    // ψ 150 + D, E 2·20·10 + ϕ 20·16+16 + head 51; Ω [50, 10] frozen
    expect(model.targets.sim).toEqual({ trainable: 150 + 400 + 336 + 51, frozen: 500 });
    const warned = check(sim("embed: rff(n: 20)\n  lift: koopman(m: 50, r: 10)"));
    expect(warned.diagnostics.map((d) => `${d.code}@${d.loc.line}:${d.loc.column}`)).toEqual(["SIM4025@7:27"]);
  });

  it("builds an RFF-only SIM over the raw input with the lift over R^n", () => {
    const source = `model m {
  input: [2]
  task: regress(outputs: 3)
  embed: rff(n: 64, sigma: 0.1, features: cosbias)
  surrogate { dense(units: 16) }
  train { data: "pixels.png" }
}
`;
    const model = onlyModel(check(source));
    expect(model.variant).toBe("rff-only");
    expect(model.lift).toMatchObject({ m: 64, r: 32 });
    // B, C 2·64·32 + ϕ 64·16+16 + head 51; Ω [2, 64] + phase [64] frozen
    expect(model.targets.sim).toEqual({ trainable: 4096 + 1040 + 51, frozen: 192 });
    expect(codes(check(source.replace("surrogate", "lift: koopman(m: 32)\n  surrogate")))).toEqual(["SIM3005@5:20"]);
  });

  it("requires something to lift and a surrogate", () => {
    const noBasis = "model m {\n  input: [2]\n  task: regress(outputs: 3)\n  lift: koopman(m: 4)\n  surrogate { dense(units: 4) }\n}\n";
    expect(codes(check(noBasis)).filter((c) => c.startsWith("SIM4010"))).toEqual(["SIM4010@4:3"]);
    expect(codes(check(sim("lift: koopman()").replace("  surrogate { dense(units: 16) }\n", "")))).toEqual(["SIM4010@1:7"]);
  });

  it("checks the head against the task", () => {
    expect(codes(check(sim("head { dense(units: 4) }")))).toEqual(["SIM3004@6:3"]);
    const seq = (t: number, length: number) => `model m {
  input: [${length}, 1]
  task: classify(classes: 10)
  basis { conv1d(channels: 4, kernel: 3, causal: true) dense(units: 8) }
  surrogate { dense(units: 8) }
  train { data: copy_memory(T: ${t}) }
}
`;
    expect(codes(check(seq(0, 20)))).toEqual(["SIM2011@6:32"]);
    const ok = onlyModel(check(seq(1, 21)));
    expect(ok.head[0].outputShape).toEqual([21, 10]);
  });
});

describe("DEQ section", () => {
  const deq = (section: string, extra = "") => `model m {
  input: [28, 28, 1]
  task: classify(classes: 10)
  ${extra}
  deq {
${section}
  }
  train { data: mnist }
}
`;

  it("lays out explicit cells with vocabulary/cells.ts and fills solver defaults", () => {
    const model = onlyModel(check(deq("    cell: monotone(kind: conv, channels: 8)", "head { avgpool(size: 4) flatten() dense(units: 10) }")));
    expect(model.variant).toBe("none");
    expect(model.defaultTarget).toBe("deq");
    expect(model.deq!.cell).toMatchObject({ family: "monotone", stateShape: [28, 28, 8], injectionShape: [28, 28, 1] });
    expect(model.deq!.cell!.args).toMatchObject({ kind: "conv", channels: 8, kernel: 3, m: 1 });
    expect(model.deq!.solver).toMatchObject({
      name: "peaceman_rachford",
      settings: { alpha: 1, tol: 0.01, max_iter: 300, eval_max_iter: 300, stop: "rel", patience: 5 },
    });
    expect(model.deq!.backward).toMatchObject({ mode: "implicit", settings: { solver: "peaceman_rachford", tol: 1e-6, max_iter: 40 } });
    // U 9·8+8, A and B 2·9·8·8, scales 2, head 7·7·8·10+10
    expect(model.trainableParams).toBe(80 + 1152 + 2 + 3930);
  });

  it("injects ψ(x) when a pure DEQ has a basis, and counts ψ in the DEQ target", () => {
    const model = onlyModel(check(deq("    cell: conv(channels: 6, norm: weight)", "basis { conv2d(channels: 4) relu() }\n  head { flatten() dense(units: 10) }")));
    expect(model.variant).toBe("none");
    expect(model.targets.sim).toBeUndefined();
    expect(model.deq!.cell).toMatchObject({ family: "conv", injectionShape: [28, 28, 4], stateShape: [28, 28, 6] });
    expect(model.deq!.cell!.params.map((p) => `${p.name}:${p.shape.join("x")}`)).toEqual(["U.weight:3x3x4x6", "U.bias:6", "W.v:3x3x6x6", "W.g:6"]);
    // ψ 40 + U 222 + W 324 + g 6 + head 28·28·6·10 + 10
    expect(model.trainableParams).toBe(40 + 222 + 324 + 6 + 47_050);
  });

  it("defaults the pcDEQ pairing and the ℓ∞ solver", () => {
    const pc = onlyModel(check(deq("    cell: pcdeq(units: 16, injection: relu)")));
    expect(pc.deq!.cell!.args).toMatchObject({ activation: "sigmoid", injection: "relu", kind: "dense" });
    const linf = onlyModel(check(deq("    cell: linf(units: 16)")));
    expect(linf.deq!.solver).toMatchObject({ name: "averaged", settings: { alpha: "auto", tol: 0.01, max_iter: 300 } });
  });

  it("rejects unknown names and settings, listing the valid ones", () => {
    const solver = check(deq("    cell: dense(units: 8)\n    solver: broydn()"));
    expect(codes(solver)).toEqual(["SIM4011@7:13"]);
    expect(solver.diagnostics[0].message).toBe("unknown solver 'broydn'; did you mean 'broyden'?");
    const setting = check(deq("    cell: dense(units: 8)\n    solver: broyden(memory: 5, m: 3)"));
    expect(codes(setting)).toEqual(["SIM4012@7:32"]);
    expect(setting.diagnostics[0].hint).toBe("valid settings: memory, tol, max_iter, eval_max_iter, stop, patience");
    expect(codes(check(deq("    cell: dense(units: 8)\n    backward: phantom(step: 3)")))).toEqual(["SIM4012@7:23"]);
    expect(codes(check(deq("    cell: dense(units: 8, norm: batch)")))).toEqual(["SIM2012@6:33"]);
    expect(codes(check(deq("    kell: dense(units: 8)")))).toEqual(["SIM4018@6:5"]);
  });

  it("rejects solvers that cannot solve the cell", () => {
    expect(codes(check(deq("    cell: dense(units: 8)\n    solver: forward_backward()")))).toEqual(["SIM4015@7:13"]);
    expect(codes(check(deq("    cell: monotone(units: 8)\n    solver: averaged(alpha: 0.5)")))).toEqual(["SIM4015@7:13"]);
    expect(codes(check(deq("    cell: linf(units: 8)\n    solver: averaged()")))).toEqual([]);
    expect(codes(check(deq("    cell: dense(units: 8)\n    solver: averaged(alpha: 0.5)")))).toEqual([]);
    expect(codes(check(deq("    cell: dense(units: 8)\n    backward: implicit(solver: peaceman_rachford)")))).toEqual(["SIM4015@7:32"]);
    expect(codes(check(deq("    cell: monotone(kind: dense, channels: 8)")))).toEqual(["SIM4028@6:11", "SIM4012@6:43"]);
  });

  it("derives the DEQ from a single-tier SIM: K [m, m], A [h, m], state = ϕ's output", () => {
    const source = `model m {
  input: [2]
  task: regress(outputs: 3)
  target: deq
  basis { dense(units: 12) }
  surrogate { dense(units: 6) }
  deq { solver: picard(damping: 0.5) }
  train { data: "pixels.png" }
}
`;
    const model = onlyModel(check(source));
    expect(model.defaultTarget).toBe("deq");
    expect(model.deq!.cell).toBeUndefined();
    expect(model.deq!.solver.settings).toMatchObject({ damping: 0.5, tol: 1e-3, max_iter: 40 });
    // ψ 36 + K 144 + A 72 + ϕ 78 + head 21
    expect(model.targets.deq).toEqual({ trainable: 36 + 144 + 72 + 78 + 21, frozen: 0 });
    expect(model.targets.sim).toEqual({ trainable: 36 + 2 * 12 * 6 + 78 + 21, frozen: 0 });
    expect(model.trainableParams).toBe(model.targets.deq!.trainable);
  });

  it("needs a cell when there is nothing to derive from, and checks target availability", () => {
    expect(codes(check(deq("    solver: anderson()")))).toEqual(["SIM4017@5:3"]);
    const noSim = deq("    cell: dense(units: 8)", "target: sim");
    expect(codes(check(noSim))).toEqual(["SIM4017@4:11"]);
    const conv = check(deq("    cell: conv(channels: 4)").replace("[28, 28, 1]", "[784]").replace("mnist", '"digits.png"'));
    expect(codes(conv)).toEqual(["SIM3008@6:11"]);
  });
});

describe("train section", () => {
  const train = (settings: string, task = "classify(classes: 10)", input = "[28, 28, 1]") => `model m {
  input: ${input}
  task: ${task}
  deq { cell: dense(units: 8) }
  train {
${settings}
  }
}
`;

  it("fills every default, with schedule defaults that follow the epochs and the learning rate", () => {
    const model = onlyModel(check(train("    data: mnist\n    optimizer: sgd(lr: 0.05)\n    schedule: onecycle()\n    epochs: 6")));
    expect(model.train).toMatchObject({
      data: { call: "mnist", args: {} },
      loss: "cross_entropy",
      optimizer: { call: "sgd", args: { lr: 0.05, momentum: 0, nesterov: false, weight_decay: 0 } },
      schedule: { call: "onecycle", args: { max_lr: 0.05, pct_start: 0.3 } },
      batch: 128,
      epochs: 6,
      validation: 0.1,
      seed: 0,
      extra: {},
    });
    expect(model.train.clip).toBeUndefined();
    const step = onlyModel(check(train("    data: mnist\n    schedule: step\n    epochs: 9\n    clip: 1\n    limit: 500")));
    expect(step.train.schedule).toEqual({ call: "step", args: { every: 4, gamma: 0.1 } });
    expect(step.train.clip).toBe(1);
    expect(step.train.extra).toEqual({ limit: 500 });
    expect(step.train.optimizer).toEqual({ call: "adam", args: { lr: 0.001, eps: 1e-8, beta1: 0.9, beta2: 0.999, weight_decay: 0 } });
  });

  it("fills data set settings and checks the data against the model", () => {
    const copy = check(train("    data: copy_memory(T: 100)", "classify(classes: 10)", "[120, 1]").replace("dense(units: 8)", "dense(units: 8)"));
    expect(copy.models[0]?.train.data).toEqual({ call: "copy_memory", args: { T: 100, train: 4500, test: 500 } });
    expect(codes(check(train("    data: copy_memory(T: 100)", "classify(classes: 10)", "[520, 1]")))).toEqual(["SIM4023@6:11"]);
    expect(codes(check(train("    data: cifar10", "classify(classes: 10)", "[32, 32, 3]")))).toEqual(["SIM2005@6:11"]);
    const image = check(train('    data: image(path: "a.png", gray: true)', "regress(outputs: 3)", "[2]"));
    expect(codes(image)).toEqual(["SIM4023@6:11"]);
    expect(image.diagnostics[0].message).toBe(
      "data set image is a regress(outputs: 1) task, but the model declares regress(outputs: 3)",
    );
  });

  it("rejects unknown keys, names, losses that do not fit and out-of-range settings", () => {
    expect(codes(check(train("    data: mnist\n    epochz: 3")))).toEqual(["SIM4019@7:5"]);
    expect(codes(check(train("    data: mnist\n    loss: mse")))).toEqual(["SIM4022@7:11"]);
    expect(codes(check(train("    data: mnist\n    loss: hinge")))).toEqual(["SIM4021@7:11"]);
    expect(codes(check(train("    data: mnist\n    schedule: cosin()")))).toEqual(["SIM4021@7:15"]);
    expect(codes(check(train("    data: mnist\n    optimizer: adam(learning_rate: 1)")))).toEqual(["SIM4012@7:21"]);
    expect(codes(check(train("    data: mnist\n    validation: 1.5")))).toEqual(["SIM2011@7:17"]);
    expect(codes(check(train("    data: mnist\n    batch: -1")))).toEqual(["SIM2011@7:12"]);
    expect(codes(check(train("    data: mnist\n    data: mnist")))).toEqual(["SIM4004@7:5"]);
  });

  it("warns when there is no data, and still produces the model", () => {
    const result = check(train("    epochs: 2"));
    expect(result.diagnostics.map((d) => `${d.code} ${d.severity}`)).toEqual(["SIM4026 warning"]);
    expect(result.models[0].train.data).toBe("");
  });
});

describe("model items", () => {
  it("rejects unknown, duplicated and misshapen items", () => {
    const base = (items: string) => `model m {\n  input: [2]\n  task: regress(outputs: 3)\n  deq { cell: dense(units: 4) }\n${items}\n}\n`;
    expect(codes(check(base("  optimiser: adam")))).toEqual(["SIM4026@1:7", "SIM4003@5:3"]);
    expect(codes(check(base("  task: regress(outputs: 3)\n  train { data: \"p.png\" }")))).toEqual(["SIM4004@5:3"]);
    expect(codes(check(base("  train: mnist")))).toEqual(["SIM4005@5:3"]);
    expect(codes(check(base("  input { dense(units: 2) }\n  train { data: \"p.png\" }")))).toEqual(["SIM4005@5:3"]);
  });

  it("checks input shapes and tasks", () => {
    const base = (input: string, task: string) => `model m {\n  input: ${input}\n  task: ${task}\n  deq { cell: dense(units: 4) }\n  train { data: "p.png" }\n}\n`;
    expect(codes(check(base("[2, 2, 2, 2]", "regress(outputs: 1)")))).toEqual(["SIM4006@2:10"]);
    expect(codes(check(base("784", "regress(outputs: 1)")))).toEqual(["SIM4006@2:10"]);
    expect(codes(check(base("[2]", "classify(classes: 1)")))).toEqual(["SIM2011@3:27"]);
    expect(codes(check(base("[2]", "regress")))).toEqual(["SIM2005@3:9"]);
    expect(codes(check(base("[2]", "regres(outputs: 1)")))).toEqual(["SIM4007@3:9"]);
  });

  it("checks every model of a file and says when a file declares nothing", () => {
    const two = `model a {\n  input: [2]\n  task: regress(outputs: 1)\n  deq { cell: dense(units: 4) }\n  train { data: "p.png" }\n}\nmodel b {\n  input: [2]\n  task: regress(outputs: 1)\n  deq { cell: linf(units: 4) }\n  train { data: "p.png" }\n}\n`;
    expect(check(two).models.map((m) => m.name)).toEqual(["a", "b"]);
    expect(codes(check(""))).toEqual(["SIM1010@1:1"]);
    expect(codes(check("// only a comment\n"))).toEqual(["SIM1010@1:1"]);
  });
});
