// The trainer: seeded epochs over fixed splits, AdamW with example.py's parameter groups, cosine
// schedule with warmup, validation, best/last checkpoints written atomically, resume after a kill
// (bit-identical to an uninterrupted run on the same backend), metrics as JSONL and CSV, and a
// NaN/Inf guard that stops with the parameter and step at fault.
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ParameterError, rejectUnknownKeys, requireFinite, requireInt } from "../errors.js";
import { writeFileAtomic } from "../io/atomic.js";
import { progressBar } from "../io/progress.js";
import { mulberry32 } from "../random.js";
import { AdamW, type AdamWState, type ParamGroup } from "./adamw.js";
import { loadCheckpoint, saveCheckpoint, type StoredTensor } from "./checkpoint.js";
import type { DataSplit, TrainData } from "../datasets/types.js";
import type { ResolvedModelConfig, SSMModel } from "./model.js";
import { RUN_FILES } from "./runDir.js";
import { cosineWithWarmup } from "./schedule.js";

/** Every training option, with its default. */
export interface TrainConfig {
  /** Default 10. */
  epochs?: number;
  /** Default 64 (example.py). */
  batchSize?: number;
  /** Base lr of the AdamW groups. Default 0.01 (example.py). */
  lr?: number;
  /** Decoupled weight decay of the "default" group. Default 0.01. */
  weightDecay?: number;
  /** lr of the SSM group (Δ, A), weight decay 0. Default min(1e-3, lr) (example.py). */
  ssmLr?: number;
  /** Linear warmup steps. Default 0. */
  warmupSteps?: number;
  /** Final lr multiplier of the cosine. Default 0. */
  minLrScale?: number;
  /** Clip the global gradient norm to this value; 0 = off. Default 0. */
  gradClip?: number;
  /** Seed of shuffling and dropout. Default 0. */
  seed?: number;
  /** Batches per epoch cap (0 = all). Default 0. */
  maxStepsPerEpoch?: number;
  /** Also write `last.ckpt` every this many steps (0 = only at epoch ends). Default 0. */
  checkpointEvery?: number;
  /** Batch size for evaluation. Default 2 × batchSize. */
  evalBatchSize?: number;
}
export type ResolvedTrainConfig = Required<TrainConfig>;

export const TRAIN_CONFIG_KEYS = ["epochs", "batchSize", "lr", "weightDecay", "ssmLr", "warmupSteps", "minLrScale", "gradClip", "seed", "maxStepsPerEpoch", "checkpointEvery", "evalBatchSize"] as const;

/** Upper bounds, checked before any work. */
export const TRAIN_LIMITS = { epochs: 100000, batchSize: 4096 } as const;

export function resolveTrainConfig(c: TrainConfig = {}): ResolvedTrainConfig {
  rejectUnknownKeys("train", c, TRAIN_CONFIG_KEYS);
  const lr = requireFinite("train.lr", c.lr ?? 0.01, { min: 0, exclusiveMin: true });
  const batchSize = requireInt("train.batchSize", c.batchSize ?? 64, 1, TRAIN_LIMITS.batchSize);
  return {
    epochs: requireInt("train.epochs", c.epochs ?? 10, 1, TRAIN_LIMITS.epochs),
    batchSize,
    lr,
    weightDecay: requireFinite("train.weightDecay", c.weightDecay ?? 0.01, { min: 0 }),
    ssmLr: requireFinite("train.ssmLr", c.ssmLr ?? Math.min(1e-3, lr), { min: 0 }),
    warmupSteps: requireInt("train.warmupSteps", c.warmupSteps ?? 0, 0),
    minLrScale: requireFinite("train.minLrScale", c.minLrScale ?? 0, { min: 0, max: 1 }),
    gradClip: requireFinite("train.gradClip", c.gradClip ?? 0, { min: 0 }),
    seed: requireInt("train.seed", c.seed ?? 0, 0),
    maxStepsPerEpoch: requireInt("train.maxStepsPerEpoch", c.maxStepsPerEpoch ?? 0, 0),
    checkpointEvery: requireInt("train.checkpointEvery", c.checkpointEvery ?? 0, 0),
    evalBatchSize: requireInt("train.evalBatchSize", c.evalBatchSize ?? 2 * batchSize, 1, 2 * TRAIN_LIMITS.batchSize),
  };
}

// The data a trainer takes is declared with the data sets, below this layer.
export type { DataSplit, TrainData } from "../datasets/types.js";

export interface EpochMetrics {
  epoch: number;
  step: number;
  lr: number;
  trainLoss: number;
  trainAcc?: number;
  valLoss: number;
  valAcc?: number;
  seconds: number;
  samplesPerSec: number;
}

export interface TrainResult {
  history: EpochMetrics[];
  best: { epoch: number; valLoss: number; valAcc?: number };
  test?: { loss: number; acc?: number };
  /** Optimizer steps taken by this call (0 when a finished run was resumed). */
  stepsThisRun: number;
  resumedFrom?: { epoch: number; stepInEpoch: number };
  outDir?: string;
}

export interface TrainOptions {
  /** Directory for checkpoints (last.ckpt, best.ckpt), metrics.jsonl/.csv and config.json. */
  outDir?: string;
  /** Continue from outDir/last.ckpt (an error when there is none). Default false. */
  resume?: boolean;
  /** Log lines (config, groups, one per epoch). Default console.log. */
  log?: (line: string) => void;
  /** Progress bar per epoch on stderr. Default true. */
  progress?: boolean;
  /** Stop after this many optimizer steps of this call (simulates a kill in tests). */
  stopAfterSteps?: number;
}

interface CkptMeta {
  version: 1;
  model: ResolvedModelConfig;
  train: ResolvedTrainConfig;
  data: { name: string; length: number; nTrain: number };
  epoch: number; // epoch in progress (0-based)
  stepInEpoch: number; // batches of that epoch already done
  globalStep: number;
  history: EpochMetrics[];
  best: { epoch: number; valLoss: number; valAcc?: number };
  epochAcc: { loss: number; correct: number; count: number; seconds: number };
  adam: { step: number };
  backend: string;
}

/** Raised when a loss or gradient stops being finite. */
export class TrainingDiverged extends Error {}

function epochPermutation(n: number, seed: number, epoch: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const r = mulberry32((seed * 1000003 + epoch * 7919 + 17) >>> 0);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

function perSample(split: DataSplit): { x: number; y: number } {
  return { x: split.x.length / split.n, y: split.y.length / split.n };
}

/** Gather rows `idx` of a split into tensors: x [b, L, d] or [b, L]; y [b] or [b, L] (or [b, L, d]). */
export function makeBatch(split: DataSplit, idx: ArrayLike<number>, data: TrainData): { x: tf.Tensor; y: tf.Tensor } {
  const b = idx.length, per = perSample(split), L = data.length;
  const X = split.x instanceof Int32Array ? new Int32Array(b * per.x) : new Float32Array(b * per.x);
  const Y = split.y instanceof Int32Array ? new Int32Array(b * per.y) : new Float32Array(b * per.y);
  for (let i = 0; i < b; i++) {
    const k = idx[i];
    X.set(split.x.subarray(k * per.x, (k + 1) * per.x), i * per.x);
    Y.set(split.y.subarray(k * per.y, (k + 1) * per.y), i * per.y);
  }
  const x = data.input.kind === "tokens" ? tf.tensor2d(X as Int32Array, [b, L], "int32") : tf.tensor3d(X as Float32Array, [b, L, per.x / L]);
  const y = per.y === 1 ? tf.tensor1d(Y, Y instanceof Int32Array ? "int32" : "float32") : tf.tensor2d(Y, [b, per.y], Y instanceof Int32Array ? "int32" : "float32");
  return { x, y };
}

/** Mean loss, correct count of one batch (logits [b, C] or [b, L, C]). */
function lossAndCorrect(out: tf.Tensor, y: tf.Tensor, kind: "classification" | "regression"): { loss: tf.Scalar; correct?: tf.Scalar } {
  if (kind === "regression") return { loss: tf.mean(tf.squaredDifference(tf.reshape(out, y.shape), y)) as tf.Scalar };
  const C = out.shape[out.shape.length - 1];
  const logits = tf.reshape(out, [-1, C]);
  const labels = tf.reshape(y, [-1]);
  const logp = tf.logSoftmax(logits);
  const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, C), logp), 1))) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32")) as tf.Scalar;
  return { loss, correct };
}

export function evaluate(model: SSMModel, data: TrainData, split: DataSplit, batchSize = 128): { loss: number; acc?: number } {
  const kind = data.kind ?? "classification";
  let loss = 0, correct = 0;
  const targetsPer = perSample(split).y;
  for (let s = 0; s < split.n; s += batchSize) {
    const idx = Array.from({ length: Math.min(batchSize, split.n - s) }, (_, i) => s + i);
    const r = tf.tidy(() => {
      const { x, y } = makeBatch(split, idx, data);
      const o = lossAndCorrect(model.apply(x, { training: false }), y, kind);
      return [o.loss, o.correct ?? tf.scalar(0)];
    });
    loss += (r[0].dataSync()[0]) * idx.length;
    correct += r[1].dataSync()[0];
    tf.dispose(r);
  }
  // Per-step classification counts every step's label.
  return { loss: loss / split.n, acc: kind === "classification" ? correct / (split.n * targetsPer) : undefined };
}

function snapshot(vars: { name: string; variable: tf.Variable }[]): Record<string, StoredTensor> {
  return Object.fromEntries(vars.map((v) => [v.name, { shape: v.variable.shape.slice(), data: (v.variable.dataSync() as Float32Array).slice() }]));
}

function restore(vars: { name: string; variable: tf.Variable }[], t: Record<string, StoredTensor>, where: string): void {
  for (const v of vars) {
    const e = t[v.name];
    if (!e || e.data.length !== v.variable.size) throw new Error(`${where}: parameter ${v.name} ${e ? `has ${e.data.length} values, the model ${v.variable.size}` : "is missing"}`);
    v.variable.assign(tf.tensor(e.data, v.variable.shape));
  }
}

/** Optimizer groups of example.py's setup_optimizer, from the model's named parameters. */
export function parameterGroups(model: SSMModel, c: ResolvedTrainConfig): ParamGroup[] {
  const tv = model.trainableVariables();
  const pick = (g: string) => tv.filter((v) => v.group === g).map(({ name, variable }) => ({ name, variable }));
  return [
    { name: "default", lr: c.lr, weightDecay: c.weightDecay, variables: pick("default") },
    { name: "no_decay", lr: c.lr, weightDecay: 0, variables: pick("no_decay") },
    { name: "ssm", lr: c.ssmLr, weightDecay: 0, variables: pick("ssm") },
  ].filter((g) => g.variables.length > 0);
}

/** Save model state (parameters + buffers) for `w4s4 eval` and notebooks. */
export function modelTensors(model: SSMModel): Record<string, StoredTensor> {
  return snapshot([...model.namedVariables(), ...model.norms.flatMap((n) => n.buffers())]);
}

export function loadModelTensors(model: SSMModel, t: Record<string, StoredTensor>, where = "checkpoint"): void {
  restore([...model.namedVariables(), ...model.norms.flatMap((n) => n.buffers())], t, where);
}

function checkSplit(name: string, s: DataSplit | undefined, data: TrainData, nClasses: number): void {
  if (!s || !(s.n >= 1)) throw new ParameterError(`data.${name}`, "a split with n >= 1 samples", s?.n);
  const per = perSample(s);
  const L = data.length;
  const wantX = data.input.kind === "tokens" ? L : L * data.input.dInput;
  if (per.x !== wantX) throw new ParameterError(`data.${name}.x`, `${wantX} values per sample (L = ${L})`, per.x);
  for (const [k, arr] of [["x", s.x], ["y", s.y]] as const) {
    for (let i = 0; i < arr.length; i++) {
      if (!Number.isFinite(arr[i])) throw new ParameterError(`data.${name}.${k}`, "finite values", `${arr[i]} in sample ${Math.floor(i / (arr.length / s.n))}`);
    }
  }
  if ((data.kind ?? "classification") === "classification") {
    // An out-of-range label would be one-hot to zeros: a finite loss that trains on nothing.
    for (let i = 0; i < s.y.length; i++) {
      const v = s.y[i];
      if (!Number.isInteger(v) || v < 0 || v >= nClasses) throw new ParameterError(`data.${name}.y`, `class ids, integers in [0, ${nClasses - 1}] (model.dOutput = ${nClasses})`, `${v} in sample ${Math.floor(i / (s.y.length / s.n))}`);
    }
  }
}

function writeMetrics(outDir: string, history: EpochMetrics[]): void {
  writeFileAtomic(join(outDir, RUN_FILES.metricsJsonl), history.map((h) => JSON.stringify(h)).join("\n") + (history.length ? "\n" : ""));
  const cols = ["epoch", "step", "lr", "trainLoss", "trainAcc", "valLoss", "valAcc", "seconds", "samplesPerSec"] as const;
  writeFileAtomic(join(outDir, RUN_FILES.metricsCsv), [cols.join(","), ...history.map((h) => cols.map((c) => h[c] ?? "").join(","))].join("\n") + "\n");
}

export async function train(model: SSMModel, data: TrainData, config: TrainConfig = {}, opts: TrainOptions = {}): Promise<TrainResult> {
  const c = resolveTrainConfig(config);
  const kind = data.kind ?? "classification";
  const nClasses = model.config.dOutput;
  checkSplit("train", data.train, data, nClasses);
  checkSplit("val", data.val, data, nClasses);
  if (data.test) checkSplit("test", data.test, data, nClasses);
  const log = opts.log ?? ((s: string) => console.log(s));
  const outDir = opts.outDir;
  if (opts.resume && !outDir) throw new ParameterError("resume", "an outDir to resume from", undefined);
  if (outDir) mkdirSync(outDir, { recursive: true });

  const groups = parameterGroups(model, c);
  const opt = new AdamW(groups);
  const nameOf = new Map<string, string>(groups.flatMap((g) => g.variables.map((v) => [v.variable.name, v.name] as [string, string])));
  const vars = opt.variables();
  const stepsPerEpoch = Math.min(Math.ceil(data.train.n / c.batchSize), c.maxStepsPerEpoch || Infinity);
  const totalSteps = stepsPerEpoch * c.epochs;
  const schedule = cosineWithWarmup({ totalSteps, warmupSteps: Math.min(c.warmupSteps, totalSteps), minScale: c.minLrScale });
  const backend = tf.getBackend();

  let epoch = 0, stepInEpoch = 0, globalStep = 0;
  let history: EpochMetrics[] = [];
  let best: CkptMeta["best"] = { epoch: -1, valLoss: Infinity };
  let acc = { loss: 0, correct: 0, count: 0, seconds: 0 };
  let bestTensors: Record<string, StoredTensor> | undefined;
  let resumedFrom: TrainResult["resumedFrom"];

  const lastPath = outDir ? join(outDir, RUN_FILES.last) : "";
  const bestPath = outDir ? join(outDir, RUN_FILES.best) : "";
  if (opts.resume && !existsSync(lastPath)) throw new ParameterError("resume", `an outDir holding ${RUN_FILES.last} (nothing to resume in ${outDir})`, outDir);
  if (opts.resume) {
    const ck = loadCheckpoint<CkptMeta>(lastPath);
    const m = ck.meta;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    // The model seed only sets initial weights, which the checkpoint replaces.
    if (!same({ ...m.model, seed: 0 }, { ...model.config, seed: 0 })) throw new ParameterError("resume", `the model config stored in ${lastPath}`, "a different model config");
    const { epochs: _e1, ...t1 } = m.train, { epochs: _e2, ...t2 } = c;
    if (!same(t1, t2)) throw new ParameterError("resume", `the training config stored in ${lastPath} (only epochs may change)`, "a different training config");
    const d = { name: data.name, length: data.length, nTrain: data.train.n };
    if (!same(m.data, d)) throw new ParameterError("resume", `the data set stored in ${lastPath} (${JSON.stringify(m.data)})`, d);
    loadModelTensors(model, ck.tensors, lastPath);
    const st: AdamWState = { step: m.adam.step, m: {}, v: {} };
    for (const [k, t] of Object.entries(ck.tensors)) {
      if (k.startsWith("adam.m/")) st.m[k.slice(7)] = t;
      if (k.startsWith("adam.v/")) st.v[k.slice(7)] = t;
    }
    opt.setState(st);
    ({ epoch, stepInEpoch, globalStep, history, best } = m);
    acc = m.epochAcc;
    if (existsSync(bestPath)) bestTensors = loadCheckpoint(bestPath).tensors;
    resumedFrom = { epoch, stepInEpoch };
    log(`resumed from ${lastPath}: epoch ${epoch + 1}, batch ${stepInEpoch}/${stepsPerEpoch}, step ${globalStep}`);
  }

  const pc = model.parameterCount();
  log(`model: ${model.config.nLayers} x ${model.config.init}${model.config.trainableA ? "" : " (frozen A)"} H=${model.config.dModel} N=${model.config.dState}, ${pc.trainable} trainable / ${pc.total} parameters; data ${data.name} L=${data.length} train ${data.train.n} val ${data.val.n}${data.test ? ` test ${data.test.n}` : ""}; backend ${backend}`);
  for (const line of opt.describe()) log(line);
  if (outDir) writeFileAtomic(join(outDir, RUN_FILES.config), JSON.stringify({ model: model.config, train: c, data: data.name, backend }, null, 2) + "\n");

  const saveLast = () => {
    if (!outDir) return;
    const st = opt.getState();
    const tensors: Record<string, StoredTensor> = { ...modelTensors(model) };
    for (const [k, t] of Object.entries(st.m)) tensors[`adam.m/${k}`] = t;
    for (const [k, t] of Object.entries(st.v)) tensors[`adam.v/${k}`] = t;
    const meta: CkptMeta = {
      version: 1, model: model.config, train: c, data: { name: data.name, length: data.length, nTrain: data.train.n },
      epoch, stepInEpoch, globalStep, history, best, epochAcc: acc, adam: { step: st.step }, backend,
    };
    saveCheckpoint(lastPath, { meta, tensors });
  };

  let stepsThisRun = 0;
  const bar = opts.progress === false ? undefined : progressBar();
  while (epoch < c.epochs) {
    const perm = epochPermutation(data.train.n, c.seed, epoch);
    let t0 = Date.now();
    for (; stepInEpoch < stepsPerEpoch; stepInEpoch++) {
      if (opts.stopAfterSteps !== undefined && stepsThisRun >= opts.stopAfterSteps) {
        return { history, best, stepsThisRun, resumedFrom, outDir };
      }
      const idx = perm.subarray(stepInEpoch * c.batchSize, Math.min(data.train.n, (stepInEpoch + 1) * c.batchSize));
      opt.lrScale = schedule(globalStep);
      const { x, y } = makeBatch(data.train, idx, data);
      let correctT: tf.Scalar | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const out = model.apply(x, { training: true, dropoutSeed: (c.seed * 1000003 + globalStep) % 2147483647 });
        const r = lossAndCorrect(out, y, kind);
        correctT = r.correct ? tf.keep(r.correct) : undefined;
        return r.loss;
      }, vars);
      tf.dispose([x, y]);
      const lossV = value.dataSync()[0];
      const sq = tf.tidy(() => tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))));
      const gnorm = Math.sqrt(sq.dataSync()[0]);
      sq.dispose();
      if (!Number.isFinite(lossV) || !Number.isFinite(gnorm)) {
        const bad: string[] = [];
        for (const [vn, g] of Object.entries(grads)) {
          const d = g.dataSync();
          let k = 0;
          for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) k++;
          if (k) bad.push(`${nameOf.get(vn) ?? vn} (${k} of ${d.length} entries)`);
        }
        const badParams = vars.filter((v) => !(v.dataSync() as Float32Array).every(Number.isFinite)).map((v) => nameOf.get(v.name) ?? v.name);
        tf.dispose([value, ...Object.values(grads)]);
        correctT?.dispose();
        throw new TrainingDiverged(
          `training diverged at step ${globalStep} (epoch ${epoch + 1}, batch ${stepInEpoch + 1}): loss ${lossV}, gradient norm ${gnorm}. ` +
          (bad.length ? `Non-finite gradients: ${bad.join(", ")}. ` : "") + (badParams.length ? `Non-finite parameters: ${badParams.join(", ")}. ` : "") +
          `Nothing was updated at this step${outDir ? `; the last good checkpoint is ${lastPath}` : ""}. Try a smaller lr (now ${c.lr}, ssm ${c.ssmLr}), gradClip, or dtMax.`,
        );
      }
      const named: Record<string, tf.Tensor> = {};
      const scale = c.gradClip > 0 && gnorm > c.gradClip ? c.gradClip / gnorm : 1;
      for (const [vn, g] of Object.entries(grads)) named[nameOf.get(vn)!] = scale === 1 ? g : tf.mul(g, scale);
      opt.apply(named);
      tf.dispose([value, ...Object.values(grads), ...(scale === 1 ? [] : Object.values(named))]);
      acc.loss += lossV * idx.length;
      acc.count += idx.length;
      if (correctT) {
        acc.correct += correctT.dataSync()[0];
        correctT.dispose();
      }
      globalStep++;
      stepsThisRun++;
      const now = Date.now();
      acc.seconds += (now - t0) / 1000;
      t0 = now;
      bar?.(stepInEpoch + 1, stepsPerEpoch, `epoch ${epoch + 1}/${c.epochs} loss ${(acc.loss / acc.count).toFixed(4)}${kind === "classification" ? ` acc ${(acc.correct / acc.count / (perSample(data.train).y)).toFixed(3)}` : ""} ${(acc.count / Math.max(1e-9, acc.seconds)).toFixed(1)} samples/s`);
      if (c.checkpointEvery > 0 && globalStep % c.checkpointEvery === 0 && stepInEpoch + 1 < stepsPerEpoch) {
        stepInEpoch++;
        saveLast();
        stepInEpoch--;
      }
    }
    const v = evaluate(model, data, data.val, c.evalBatchSize);
    const perY = perSample(data.train).y;
    const m: EpochMetrics = {
      epoch: epoch + 1, step: globalStep, lr: c.lr * schedule(Math.max(0, globalStep - 1)),
      trainLoss: acc.loss / acc.count, trainAcc: kind === "classification" ? acc.correct / (acc.count * perY) : undefined,
      valLoss: v.loss, valAcc: v.acc, seconds: acc.seconds, samplesPerSec: acc.count / Math.max(1e-9, acc.seconds),
    };
    history.push(m);
    log(`epoch ${m.epoch}/${c.epochs}: train loss ${m.trainLoss.toFixed(4)}${m.trainAcc !== undefined ? ` acc ${m.trainAcc.toFixed(4)}` : ""} | val loss ${m.valLoss.toFixed(4)}${m.valAcc !== undefined ? ` acc ${m.valAcc.toFixed(4)}` : ""} | ${m.seconds.toFixed(1)} s, ${m.samplesPerSec.toFixed(1)} samples/s`);
    const better = kind === "classification" && v.acc !== undefined ? v.acc > (best.valAcc ?? -1) : v.loss < best.valLoss;
    if (better) {
      best = { epoch: m.epoch, valLoss: v.loss, valAcc: v.acc };
      bestTensors = modelTensors(model);
      if (outDir) saveCheckpoint(bestPath, { meta: { epoch: m.epoch, valLoss: v.loss, valAcc: v.acc, model: model.config, train: c, data: data.name }, tensors: bestTensors });
    }
    epoch++;
    stepInEpoch = 0;
    acc = { loss: 0, correct: 0, count: 0, seconds: 0 };
    if (outDir) {
      writeMetrics(outDir, history);
      saveLast();
    }
  }

  let test: TrainResult["test"];
  if (data.test) {
    // Test at the best validation epoch (the usual protocol); the model is left at those weights.
    if (bestTensors) loadModelTensors(model, bestTensors, "best weights");
    test = evaluate(model, data, data.test, c.evalBatchSize);
    log(`test (best epoch ${best.epoch}): loss ${test.loss.toFixed(4)}${test.acc !== undefined ? ` acc ${test.acc.toFixed(4)}` : ""}`);
    if (outDir) writeFileAtomic(join(outDir, RUN_FILES.test), JSON.stringify({ bestEpoch: best.epoch, ...test }, null, 2) + "\n");
  }
  opt.dispose();
  return { history, best, test, stepsThisRun, resumedFrom, outDir };
}
