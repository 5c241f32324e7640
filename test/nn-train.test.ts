// Model, AdamW, schedule, checkpoints and the trainer: numbers against float64 references, resume
// equals an uninterrupted run, the NaN guard names the parameter.
import { describe, expect, it, beforeAll } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { initBackend } from "../src/backend.js";
import { AdamW } from "../src/nn/adamw.js";
import { cosineWithWarmup } from "../src/nn/schedule.js";
import { SSMModel } from "../src/nn/model.js";
import { loadCheckpoint, saveCheckpoint } from "../src/nn/checkpoint.js";
import type { DataSplit, TrainData } from "../src/datasets/types.js";
import { evaluate } from "../src/nn/evaluate.js";
import { resolveTrainConfig } from "../src/nn/trainConfig.js";
import { parameterGroups, train, TrainingDiverged } from "../src/nn/trainer.js";
import { modelTensors } from "../src/nn/trainState.js";
import { mulberry32 } from "../src/random.js";
import { ParameterError } from "../src/errors.js";

beforeAll(async () => {
  await initBackend({ backend: "cpu" });
});

const tmp = () => mkdtempSync(join(tmpdir(), "w4s4-train-"));

/** Class = sign of the (noisy) mean: learnable in a few epochs by any working model. */
function meanTask(n: number, L: number, seed: number) {
  const r = mulberry32(seed);
  const x = new Float32Array(n * L), y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = r() < 0.5 ? 0 : 1;
    for (let l = 0; l < L; l++) x[i * L + l] = r() - 0.5 + (y[i] ? 0.2 : -0.2);
  }
  return { x, y, n };
}
const L = 32;
const data: TrainData = { name: "mean", input: { kind: "real", dInput: 1 }, length: L, train: meanTask(128, L, 1), val: meanTask(32, L, 2), test: meanTask(32, L, 3) };
const small = { input: data.input, dOutput: 2, dModel: 8, nLayers: 2, dState: 8 } as const;
const quiet = { progress: false, log: () => {} };

describe("AdamW", () => {
  // test/fixtures/adamw-torch.json: torch.optim.AdamW in float64 (scripts/fixtures/adamw.py).
  const torchRef = JSON.parse(readFileSync(new URL("./fixtures/adamw-torch.json", import.meta.url), "utf8")) as {
    betas: [number, number];
    eps: number;
    steps: number;
    groups: { name: string; lr: number; weight_decay: number; params: Record<string, number[]> }[];
    grads: Record<string, number[][]>;
    cases: { name: string; lrScale: number[]; params: Record<string, number[]>[] }[];
  };
  /** adamw.ts's header rule in float64: checks the rule against torch apart from float32 rounding. */
  const formula64 = (x0: number[], lr: number, wd: number, gs: number[][], scale: number[]) => {
    const [b1, b2] = torchRef.betas;
    const x = x0.slice(), m = x.map(() => 0), v = x.map(() => 0), out: number[][] = [];
    gs.forEach((g, t0) => {
      const t = t0 + 1, a = lr * scale[t0];
      for (let i = 0; i < x.length; i++) {
        x[i] *= 1 - a * wd;
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] ** 2;
        x[i] -= (a / (1 - b1 ** t)) * m[i] / (Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + torchRef.eps);
      }
      out.push(x.slice());
    });
    return out;
  };
  const relErr = (got: ArrayLike<number>, want: number[]) => Math.max(...want.map((w, i) => Math.abs(got[i] - w) / Math.abs(w)));

  it("the float64 update formula equals torch.optim.AdamW's (two groups, constant and scheduled lr, 6 steps) to 1e-14", () => {
    for (const c of torchRef.cases)
      for (const g of torchRef.groups)
        for (const [name, x0] of Object.entries(g.params)) {
          const got = formula64(x0, g.lr, g.weight_decay, torchRef.grads[name], c.lrScale);
          for (let t = 0; t < torchRef.steps; t++) expect(relErr(got[t], c.params[t][name]), `${c.name} ${name} step ${t + 1}`).toBeLessThan(1e-14);
        }
  });

  it("AdamW (float32 tfjs) matches torch.optim.AdamW after each of 6 steps, two groups, constant and scheduled lrScale, to 1e-6 relative", () => {
    for (const c of torchRef.cases) {
      const vars: Record<string, tf.Variable> = {};
      const opt = new AdamW(
        torchRef.groups.map((g) => ({
          name: g.name,
          lr: g.lr,
          weightDecay: g.weight_decay,
          variables: Object.entries(g.params).map(([name, x0]) => ({ name, variable: (vars[name] = tf.variable(tf.tensor1d(x0))) })),
        })),
        { beta1: torchRef.betas[0], beta2: torchRef.betas[1], eps: torchRef.eps },
      );
      for (let t = 0; t < torchRef.steps; t++) {
        opt.lrScale = c.lrScale[t];
        const grads = Object.fromEntries(Object.keys(vars).map((n) => [n, tf.tensor1d(torchRef.grads[n][t])]));
        opt.apply(grads);
        Object.values(grads).forEach((g) => g.dispose());
        // Inputs are float32-exact, so only float32 arithmetic differs: each step rounds p (2^-24
        // relative), 1 − lr·wd and the step; six steps measure ≤ 2e-7 relative. A wrong rule (decay with
        // the unscheduled lr, L2 instead of decoupled decay, bias correction a step off, ε outside the
        // bias correction) is off by ≥ 7e-4 relative already at step 1.
        for (const [name, v] of Object.entries(vars)) expect(relErr(v.dataSync(), c.params[t][name]), `${c.name} ${name} step ${t + 1}`).toBeLessThan(1e-6);
      }
      opt.dispose();
      Object.values(vars).forEach((v) => v.dispose());
    }
  });

  it("decays weights decoupled from the gradient: zero gradient gives p·(1 − lr·wd)^t", () => {
    const p = tf.variable(tf.tensor1d([3]));
    const opt = new AdamW([{ name: "a", lr: 0.1, weightDecay: 0.5, variables: [{ name: "p", variable: p }] }]);
    for (let t = 0; t < 4; t++) opt.apply({ p: tf.tensor1d([0]) });
    expect(p.dataSync()[0]).toBeCloseTo(3 * 0.95 ** 4, 5);
  });

  it("rejects bad hyperparameters by name", () => {
    expect(() => new AdamW([], { beta1: 1 })).toThrow(/beta1/);
    const v = tf.variable(tf.zeros([1]));
    expect(() => new AdamW([{ name: "g", lr: -1, weightDecay: 0, variables: [{ name: "v", variable: v }] }])).toThrow(/groups\.g\.lr/);
  });
});

describe("cosine schedule with warmup", () => {
  it("ramps linearly, then follows half a cosine to minScale", () => {
    const s = cosineWithWarmup({ totalSteps: 104, warmupSteps: 4, minScale: 0.1 });
    expect([0, 1, 2, 3].map(s)).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(s(4)).toBeCloseTo(1, 12);
    expect(s(54)).toBeCloseTo(0.1 + 0.9 * 0.5, 12);
    expect(s(104)).toBeCloseTo(0.1, 12);
    expect(() => cosineWithWarmup({ totalSteps: 10, warmupSteps: 11 })).toThrow(/warmupSteps/);
  });
});

describe("SSMModel", () => {
  it("with no layers is decoder(mean_l(encoder(x))), computed by hand", () => {
    const m = new SSMModel({ input: { kind: "real", dInput: 2 }, dOutput: 3, dModel: 4, nLayers: 0, seed: 3 });
    const x = [[1, 2], [0.5, -1], [3, 0]];
    const We = m.encW.arraySync() as number[][], be = m.encB!.arraySync() as number[];
    const Wd = m.decW.arraySync() as number[][], bd = m.decB.arraySync() as number[];
    const h = [0, 1, 2, 3].map((k) => x.reduce((s, xl) => s + We[k][0] * xl[0] + We[k][1] * xl[1] + be[k], 0) / x.length);
    const want = [0, 1, 2].map((c) => bd[c] + h.reduce((s, hk, k) => s + hk * Wd[k][c], 0));
    const got = (m.apply(tf.tensor3d([x])) as tf.Tensor2D).arraySync()[0];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
  });

  it("gives per-step outputs with pooling 'none' and embeds tokens", () => {
    const m = new SSMModel({ input: { kind: "tokens", vocab: 11 }, dOutput: 5, dModel: 8, nLayers: 1, dState: 4, pooling: "none" });
    const y = m.apply(tf.tensor2d([[1, 2, 3, 10], [0, 0, 0, 0]], [2, 4], "int32"));
    expect(y.shape).toEqual([2, 4, 5]);
    expect(Array.from(y.dataSync()).every(Number.isFinite)).toBe(true);
  });

  it("is causal: a change at step t leaves per-step outputs before t unchanged", () => {
    const m = new SSMModel({ input: { kind: "real", dInput: 1 }, dOutput: 2, dModel: 8, nLayers: 2, dState: 8, pooling: "none", norm: "layer" });
    const a = Float32Array.from({ length: 16 }, (_, i) => Math.sin(i));
    const b = a.slice();
    b[10] += 5;
    const ya = m.apply(tf.tensor3d(a, [1, 16, 1])).arraySync() as number[][][];
    const yb = m.apply(tf.tensor3d(b, [1, 16, 1])).arraySync() as number[][][];
    for (let l = 0; l < 10; l++) expect(Math.abs(ya[0][l][0] - yb[0][l][0])).toBeLessThan(1e-5);
    expect(Math.abs(ya[0][12][0] - yb[0][12][0])).toBeGreaterThan(1e-3);
  });

  it("puts Δ and A in the ssm group (lr min(1e-3, lr), wd 0); frozen A leaves only Δ there", () => {
    const c = resolveTrainConfig({ lr: 0.01 });
    const g1 = parameterGroups(new SSMModel({ ...small, init: "s4d-inv" }), c);
    const ssm1 = g1.find((g) => g.name === "ssm")!;
    expect(ssm1.lr).toBe(0.001);
    expect(ssm1.weightDecay).toBe(0);
    expect(ssm1.variables.map((v) => v.name.split("/").pop())).toEqual(["log_dt", "A_log_neg_re", "A_im", "log_dt", "A_log_neg_re", "A_im"]);
    const g2 = parameterGroups(new SSMModel({ ...small, init: "walrus", trainableA: false }), c);
    expect(g2.find((g) => g.name === "ssm")!.variables.map((v) => v.name.split("/").pop())).toEqual(["log_dt", "log_dt"]);
    expect(g2.find((g) => g.name === "default")!.weightDecay).toBe(0.01);
  });

  it("has gradients equal to central finite differences of the loss (directional, float32)", () => {
    const m = new SSMModel({ ...small, dropout: 0, norm: "batch", seed: 4 });
    const x = tf.tensor3d(data.train.x.slice(0, 4 * L), [4, L, 1]);
    const yy = tf.oneHot(tf.tensor1d(data.train.y.slice(0, 4), "int32"), 2);
    const vars = m.trainableVariables().map((v) => v.variable);
    const lossFn = () => tf.losses.softmaxCrossEntropy(yy, m.apply(x, { training: false })) as tf.Scalar;
    const { grads } = tf.variableGrads(lossFn, vars);
    const r = mulberry32(9);
    const dirs = vars.map((v) => tf.tensor(Float32Array.from({ length: v.size }, () => r() - 0.5), v.shape));
    const analytic = vars.reduce((s, v, i) => s + tf.sum(tf.mul(grads[v.name], dirs[i])).dataSync()[0], 0);
    const eps = 1e-2;
    const shift = (k: number) => vars.forEach((v, i) => v.assign(tf.add(v, tf.mul(dirs[i], k * eps))));
    shift(1);
    const lp = lossFn().dataSync()[0];
    shift(-2);
    const lm = lossFn().dataSync()[0];
    shift(1);
    const fd = (lp - lm) / (2 * eps);
    expect(Math.abs(fd - analytic)).toBeLessThan(2e-2 * Math.max(1, Math.abs(analytic)));
  });

  it("names the option and range on bad config", () => {
    expect(() => new SSMModel({ ...small, dropout: 1 })).toThrow(ParameterError);
    expect(() => new SSMModel({ ...small, dropout: 1 })).toThrow(/model\.dropout.*< 1/);
    expect(() => new SSMModel({ ...small, init: "nope" as never })).toThrow(/model\.init/);
    expect(() => new SSMModel({ ...small, pooling: "max" as never })).toThrow(/model\.pooling/);
  });
});

describe("checkpoints", () => {
  it("round-trip tensors and metadata exactly, atomically, and reject foreign files", () => {
    const d = tmp(), p = join(d, "x.ckpt");
    const a = Float32Array.from([1.5, -2, 3.25e-7]), b = Float32Array.from({ length: 6 }, (_, i) => i / 7);
    saveCheckpoint(p, { meta: { epoch: 3, note: "é" }, tensors: { a: { shape: [3], data: a }, "w/b": { shape: [2, 3], data: b } } });
    const ck = loadCheckpoint<{ epoch: number; note: string }>(p);
    expect(ck.meta).toEqual({ epoch: 3, note: "é" });
    expect(Array.from(ck.tensors.a.data)).toEqual(Array.from(a));
    expect(Array.from(ck.tensors["w/b"].data)).toEqual(Array.from(b));
    expect(ck.tensors["w/b"].shape).toEqual([2, 3]);
    expect(readdirSync(d)).toEqual(["x.ckpt"]);
    writeFileSync(join(d, "bad.ckpt"), "hello world, not a checkpoint");
    expect(() => loadCheckpoint(join(d, "bad.ckpt"))).toThrow(/bad\.ckpt: not a W4S4 checkpoint/);
    const buf = readFileSync(p);
    writeFileSync(join(d, "cut.ckpt"), buf.subarray(0, buf.length - 4));
    expect(() => loadCheckpoint(join(d, "cut.ckpt"))).toThrow(/truncated/);
  });
});

describe("trainer", () => {
  it("learns the mean-sign task and writes metrics, config, best and last checkpoints", async () => {
    const d = tmp();
    const m = new SSMModel({ ...small, dropout: 0 });
    const r = await train(m, data, { epochs: 4, batchSize: 16, lr: 0.01 }, { ...quiet, outDir: d });
    expect(r.history).toHaveLength(4);
    expect(r.history[3].trainLoss).toBeLessThan(r.history[0].trainLoss);
    expect(r.best.valAcc).toBeGreaterThanOrEqual(0.9);
    expect(r.test!.acc).toBeGreaterThanOrEqual(0.85);
    for (const f of ["last.ckpt", "best.ckpt", "metrics.jsonl", "metrics.csv", "config.json", "test.json"]) expect(existsSync(join(d, f))).toBe(true);
    expect(readFileSync(join(d, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(4);
    // The best checkpoint reproduces the reported best validation numbers.
    const m2 = new SSMModel({ ...small, dropout: 0 });
    const best = loadCheckpoint(join(d, "best.ckpt"));
    for (const v of m2.namedVariables()) v.variable.assign(tf.tensor(best.tensors[v.name].data, v.variable.shape));
    expect((await evaluate(m2, data, data.val)).acc).toBeCloseTo(r.best.valAcc!, 10);
  });

  it("yields to the event loop at least once per epoch (a notebook kernel flushes output only then)", async () => {
    let ticks = 0;
    const tick = () => { ticks++; t = setImmediate(tick); };
    let t = setImmediate(tick);
    const logged: number[] = [];
    await train(new SSMModel(small), data, { epochs: 3, batchSize: 64 }, { progress: false, log: (line) => { if (line.startsWith("epoch ")) logged.push(ticks); } });
    clearImmediate(t);
    // The three epoch lines are logged after three different numbers of event-loop turns.
    const epochLines = logged;
    expect(epochLines).toHaveLength(3);
    expect(new Set(epochLines).size).toBe(3);
    expect(epochLines[0]).toBeGreaterThan(0);
  });

  it("is reproducible: same seed, same weights; another seed, other weights", async () => {
    const run = async (seed: number) => {
      const m = new SSMModel({ ...small, seed: 1 });
      await train(m, data, { epochs: 1, batchSize: 32, seed }, quiet);
      return (await modelTensors(m))["decoder/weight"].data;
    };
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it("resumes after a kill mid-epoch and ends bit-identical to an uninterrupted run", async () => {
    const cfg = { epochs: 2, batchSize: 16, checkpointEvery: 3, seed: 2 };
    const full = new SSMModel({ ...small, seed: 5 });
    const rFull = await train(full, data, cfg, { ...quiet, outDir: tmp() });
    const d = tmp();
    const killed = new SSMModel({ ...small, seed: 5 });
    const r1 = await train(killed, data, cfg, { ...quiet, outDir: d, stopAfterSteps: 11 }); // 8 steps per epoch: dies in epoch 2 after a step-9 checkpoint
    expect(r1.stepsThisRun).toBe(11);
    const resumed = new SSMModel({ ...small, seed: 99 }); // different init: everything must come from the checkpoint
    const r2 = await train(resumed, data, cfg, { ...quiet, outDir: d, resume: true });
    expect(r2.resumedFrom).toEqual({ epoch: 1, stepInEpoch: 1 });
    expect(r2.stepsThisRun).toBe(7);
    const a = await modelTensors(full), b = await modelTensors(resumed);
    for (const k of Object.keys(a)) expect(Array.from(b[k].data)).toEqual(Array.from(a[k].data));
    expect(r2.history.map((h) => h.valLoss)).toEqual(rFull.history.map((h) => h.valLoss));
    expect(readFileSync(join(d, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
  });

  it("evalsPerEpoch: evenly spaced validation points, each point's train loss the mean of its steps, epoch ends as with 1", async () => {
    const cfg = { epochs: 2, batchSize: 16, seed: 4 }; // 8 steps per epoch
    const once = await train(new SSMModel({ ...small, seed: 6 }), data, cfg, quiet);
    const losses: number[] = [];
    const d = tmp();
    const four = await train(new SSMModel({ ...small, seed: 6 }), data, { ...cfg, evalsPerEpoch: 4 }, { ...quiet, outDir: d, onStep: (_s, l) => losses.push(l) });
    expect(four.history.map((h) => h.epoch)).toEqual([0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]);
    expect(four.history.map((h) => h.step)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    // Batches are all 16 here, so a point's loss is the plain mean of its two steps.
    four.history.forEach((h, i) => expect(h.trainLoss, `point ${i}`).toBeCloseTo((losses[2 * i] + losses[2 * i + 1]) / 2, 6));
    // Validation passes do not change training: the epoch-end points equal the once-per-epoch run's.
    expect([four.history[3].valLoss, four.history[7].valLoss]).toEqual(once.history.map((h) => h.valLoss));
    const bestAt = four.history.reduce((b, h) => (h.valAcc! > b.valAcc! ? h : b));
    expect(four.best.epoch).toBe(bestAt.epoch);
    expect(readFileSync(join(d, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(8);
    // More points than steps: one per step.
    const every = await train(new SSMModel({ ...small, seed: 6 }), data, { ...cfg, epochs: 1, evalsPerEpoch: 50 }, quiet);
    expect(every.history).toHaveLength(8);
    expect(() => resolveTrainConfig({ evalsPerEpoch: 0 })).toThrow(/train\.evalsPerEpoch.*\[1, 1000\]/);
  });

  it("evalsPerEpoch: a run killed between validation points resumes bit-identical, history included", async () => {
    const cfg = { epochs: 2, batchSize: 16, checkpointEvery: 3, seed: 2, evalsPerEpoch: 3 };
    const rFull = await train(new SSMModel({ ...small, seed: 5 }), data, cfg, { ...quiet, outDir: tmp() });
    const d = tmp();
    await train(new SSMModel({ ...small, seed: 5 }), data, cfg, { ...quiet, outDir: d, stopAfterSteps: 13 }); // checkpoint after step 12, a point at 11
    const resumed = new SSMModel({ ...small, seed: 99 });
    const r2 = await train(resumed, data, cfg, { ...quiet, outDir: d, resume: true });
    expect(r2.resumedFrom).toEqual({ epoch: 1, stepInEpoch: 4 });
    expect(r2.history).toHaveLength(6);
    expect(r2.history.map((h) => [h.epoch, h.trainLoss, h.valLoss])).toEqual(rFull.history.map((h) => [h.epoch, h.trainLoss, h.valLoss]));
  });

  it("regression resumed inside epoch 1 still records its best epoch (best.valLoss survives JSON as Infinity)", async () => {
    const y = (s: DataSplit) => Float32Array.from({ length: s.n }, (_, i) => Array.from(s.x.subarray(i * L, (i + 1) * L)).reduce((a, v) => a + v, 0) / L);
    const reg: TrainData = { ...data, name: "mean-value", kind: "regression", train: { ...data.train, y: y(data.train) }, val: { ...data.val, y: y(data.val) }, test: undefined };
    const cfg = { epochs: 1, batchSize: 16, checkpointEvery: 2, seed: 3 };
    const d = tmp();
    await train(new SSMModel({ ...small, dOutput: 1 }), reg, cfg, { ...quiet, outDir: d, stopAfterSteps: 3 }); // last.ckpt after step 2, before any best
    expect((loadCheckpoint(join(d, "last.ckpt")).meta as { best: { valLoss: unknown } }).best.valLoss).toBeNull();
    const r = await train(new SSMModel({ ...small, dOutput: 1 }), reg, cfg, { ...quiet, outDir: d, resume: true });
    expect(r.resumedFrom).toEqual({ epoch: 0, stepInEpoch: 2 });
    expect(r.best.epoch).toBe(1);
    expect(r.best.valLoss).toBe(r.history[0].valLoss);
    expect(existsSync(join(d, "best.ckpt"))).toBe(true);
  });

  it("refuses a last.ckpt whose metadata version it does not know", async () => {
    const d = tmp();
    await train(new SSMModel(small), data, { epochs: 1, batchSize: 64 }, { ...quiet, outDir: d });
    const ck = loadCheckpoint(join(d, "last.ckpt"));
    saveCheckpoint(join(d, "last.ckpt"), { meta: { ...(ck.meta as object), version: 2 }, tensors: ck.tensors });
    await expect(train(new SSMModel(small), data, { epochs: 2, batchSize: 64 }, { ...quiet, outDir: d, resume: true })).rejects.toThrow(/last\.ckpt: metadata version 2, this build reads 1/);
  });

  it("refuses to resume into a different configuration", async () => {
    const d = tmp();
    await train(new SSMModel(small), data, { epochs: 1, batchSize: 64 }, { ...quiet, outDir: d });
    await expect(train(new SSMModel(small), data, { epochs: 2, batchSize: 32 }, { ...quiet, outDir: d, resume: true })).rejects.toThrow(/training config/);
    await expect(train(new SSMModel({ ...small, dModel: 4 }), data, { epochs: 2, batchSize: 64 }, { ...quiet, outDir: d, resume: true })).rejects.toThrow(/model config/);
  });

  it("stops on a non-finite loss and names the step and the parameters", async () => {
    const m = new SSMModel(small);
    const w = m.decW.arraySync() as number[][];
    w[1][0] = NaN; // a parameter gone bad, as after an overflow
    m.decW.assign(tf.tensor2d(w));
    const before = (await modelTensors(m))["encoder/weight"].data;
    const err = await train(m, data, { epochs: 1, batchSize: 128 }, quiet).catch((e) => e);
    expect(err).toBeInstanceOf(TrainingDiverged);
    expect(err.message).toMatch(/step 0 \(epoch 1, batch 1\)/);
    expect(err.message).toMatch(/Non-finite parameters: decoder\/weight/);
    expect(err.message).toMatch(/Non-finite gradients: .*encoder\/weight/);
    expect(Array.from((await modelTensors(m))["encoder/weight"].data)).toEqual(Array.from(before)); // nothing was updated
  });

  it("rejects non-finite data up front, naming the split and sample", async () => {
    const x = data.train.x.slice();
    x[5 * L + 3] = NaN;
    await expect(train(new SSMModel(small), { ...data, train: { ...data.train, x } }, {}, quiet)).rejects.toThrow(/data\.train\.x.*NaN in sample 5/);
  });

  it("rejects data that does not match the model before any work", async () => {
    const bad: TrainData = { ...data, length: 31 };
    await expect(train(new SSMModel(small), bad, {}, quiet)).rejects.toThrow(/data\.train\.x/);
    await expect(train(new SSMModel(small), data, { batchSize: 0 }, quiet)).rejects.toThrow(/train\.batchSize/);
  });
});

describe("token embedding", () => {
  // On every backend: tfjs-wasm's float32 OneHot once made this gradient zero there (cpu was right).
  for (const backend of ["cpu", "wasm"] as const) {
    it(`${backend}: embeddingLookup's gradient (one-hot matMul) = the scatter-add of the upstream rows`, async () => {
      await initBackend({ backend });
      const { embeddingLookup } = await import("../src/nn/model.js");
      const V = 7, H = 3, idList = [0, 3, 3, 6, 1];
      const E = tf.randomNormal([V, H], 0, 1, "float32", 1) as tf.Tensor2D;
      const ids = tf.tensor1d(idList, "int32");
      const w = tf.randomNormal([idList.length, H], 0, 1, "float32", 2);
      const wv = w.dataSync();
      const want = new Float64Array(V * H);
      idList.forEach((id, i) => { for (let h = 0; h < H; h++) want[id * H + h] += wv[i * H + h]; });
      const g = tf.grad((e: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(e as tf.Tensor2D, ids), w)))(E);
      expect(Array.from(g.dataSync())).toEqual(Array.from(want).map((v) => expect.closeTo(v, 6)));
      expect(Array.from(embeddingLookup(E, ids).dataSync())).toEqual(Array.from(tf.gather(E, ids).dataSync()));
      await initBackend({ backend: "cpu" });
    });
  }
});

describe("overfitting a tiny batch on every backend available here", () => {
  for (const backend of ["cpu", "wasm", "tensorflow"] as const) {
    it(`${backend}: 8 sequences, 150 full-batch Adam steps, loss falls by at least 10×`, async (ctx) => {
      try {
        await initBackend({ backend });
      } catch {
        ctx.skip(); // not installed here (tensorflow = tfjs-node-gpu on a CUDA machine)
        return;
      }
      try {
        const g = mulberry32(9);
        const n = 8, L = 32;
        const x = Float32Array.from({ length: n * L }, () => 2 * g() - 1);
        const y = Int32Array.from({ length: n }, (_, i) => i % 4);
        const m = new SSMModel({ input: { kind: "real", dInput: 1 }, dOutput: 4, dModel: 16, nLayers: 1, dState: 8, dropout: 0, seed: 1 });
        const xt = tf.tensor3d(x, [n, L, 1]), yt = tf.oneHot(tf.tensor1d(y, "int32"), 4);
        const opt = tf.train.adam(0.02);
        const loss = () => tf.losses.softmaxCrossEntropy(yt, m.apply(xt, { training: true }) as tf.Tensor2D) as tf.Scalar;
        const first = loss().dataSync()[0];
        for (let s = 0; s < 150; s++) opt.minimize(loss, false, m.trainableVariables().map((v) => v.variable));
        const last = loss().dataSync()[0];
        expect(last).toBeLessThan(first / 10);
        m.dispose();
      } finally {
        await initBackend({ backend: "cpu" });
      }
    }, 120_000);
  }
});
