// The trainer: seeded epochs over fixed splits, AdamW with example.py's parameter groups, cosine
// schedule with warmup, validation, best/last checkpoints written atomically, resume after a kill
// (bit-identical to an uninterrupted run on the same backend), metrics as JSONL and CSV, and a
// NaN/Inf guard that stops with the parameter and step at fault.
// Batches: batches.ts; loss and evaluation: evaluate.ts; what goes on disk: trainState.ts.
import * as tf from "@tensorflow/tfjs";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ParameterError } from "../errors.js";
import { progressBar, yieldToEventLoop, type Progress } from "../io/progress.js";
import type { TrainData } from "../datasets/types.js";
import { AdamW, type ParamGroup } from "./adamw.js";
import { checkSplits, epochPermutation, makeBatch, perSample } from "./batches.js";
import type { Checkpoint, StoredTensor } from "./checkpoint.js";
import { evaluate, lossAndCorrect } from "./evaluate.js";
import type { SSMModel } from "./model.js";
import { RUN_FILES } from "./runDir.js";
import { cosineWithWarmup } from "./schedule.js";
import { epochSteps, resolveTrainConfig, type ResolvedTrainConfig, type TrainConfig } from "./trainConfig.js";
import {
  checkResumable, dataIdentity, emptyEpochAcc, freshProgress, loadBestCheckpoint, loadLastCheckpoint, loadModelTensors, modelTensors, restoreLastCheckpoint,
  saveBestCheckpoint, saveLastCheckpoint, writeMetrics, writeRunConfig, writeTestResult, type BestEpoch, type CkptMeta, type EpochMetrics, type RunProgress,
} from "./trainState.js";

export interface TrainResult {
  history: EpochMetrics[];
  best: BestEpoch;
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
  /** With resume: outDir/last.ckpt as the caller already loaded it (loadLastCheckpoint), so it is read once. Default: read it here. */
  lastCheckpoint?: Checkpoint<CkptMeta>;
  /** Log lines (config, groups, one per epoch). Default console.log. */
  log?: (line: string) => void;
  /** Progress over the run's steps: true, a bar (stderr; in a notebook one output updated in place); false, none; or a callback of your own (e.g. one part of a notebook cell's bar). Default true. */
  progress?: boolean | Progress;
  /** Stop after this many optimizer steps of this call (simulates a kill in tests). */
  stopAfterSteps?: number;
  /** Called after every optimizer step with its global index (from 0) and its batch loss (loss curves, parity). Default none. */
  onStep?: (step: number, loss: number) => void;
}

/** Raised when a loss or gradient stops being finite. */
export class TrainingDiverged extends Error {}

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

export interface GradientStep {
  value: tf.Scalar;
  grads: tf.NamedTensorMap;
  correct?: tf.Scalar;
  lossV: number;
  gnorm: number;
}

/** Loss, gradients of `vars` and their global norm for one training batch (the caller disposes the tensors). */
export async function gradientStep(model: SSMModel, x: tf.Tensor, y: tf.Tensor, kind: "classification" | "regression", vars: tf.Variable[], dropoutSeed: number): Promise<GradientStep> {
  let correct: tf.Scalar | undefined;
  const { value, grads } = tf.variableGrads(() => {
    const r = lossAndCorrect(model.apply(x, { training: true, dropoutSeed }), y, kind);
    correct = r.correct ? tf.keep(r.correct) : undefined;
    return r.loss;
  }, vars);
  // A chain of adds, not tf.addN: webgpu binds every addN input at once, beyond a device's 8 storage buffers.
  const sq = tf.tidy(() => Object.values(grads).map((g) => tf.sum(tf.square(g))).reduce((a, b) => tf.add(a, b)));
  // Asynchronous reads: webgpu cannot read a GPU buffer synchronously in Node.
  const [lv, sqv] = await Promise.all([value.data(), sq.data()]);
  const lossV = lv[0], gnorm = Math.sqrt(sqv[0]);
  sq.dispose();
  return { value, grads, correct, lossV, gnorm };
}

export async function train(model: SSMModel, data: TrainData, config: TrainConfig = {}, opts: TrainOptions = {}): Promise<TrainResult> {
  const c = resolveTrainConfig(config);
  const kind = data.kind ?? "classification";
  checkSplits(data, model.config.dOutput);
  const log = opts.log ?? ((s: string) => console.log(s));
  const outDir = opts.outDir;
  if (opts.resume && !outDir) throw new ParameterError("resume", "an outDir to resume from", undefined);
  if (opts.lastCheckpoint && !opts.resume) throw new ParameterError("lastCheckpoint", "resume: true (it is the point to resume from)", "resume: false");
  if (outDir) mkdirSync(outDir, { recursive: true });

  const groups = parameterGroups(model, c);
  const opt = new AdamW(groups);
  const nameOf = new Map<string, string>(groups.flatMap((g) => g.variables.map((v) => [v.variable.name, v.name] as [string, string])));
  const vars = opt.variables();
  const stepsPerEpoch = epochSteps(data.train.n, c);
  const totalSteps = stepsPerEpoch * c.epochs;
  const schedule = cosineWithWarmup({ totalSteps, warmupSteps: Math.min(c.warmupSteps, totalSteps), minScale: c.minLrScale });
  const backend = tf.getBackend();
  const perY = perSample(data.train).y; // targets per sample: 1, or L for per-step outputs
  const lastPath = outDir ? join(outDir, RUN_FILES.last) : "";
  const bestPath = outDir ? join(outDir, RUN_FILES.best) : "";

  let p: RunProgress = freshProgress();
  let bestTensors: Record<string, StoredTensor> | undefined;
  let resumedFrom: TrainResult["resumedFrom"];
  if (opts.resume) {
    if (!existsSync(lastPath)) throw new ParameterError("resume", `an outDir holding ${RUN_FILES.last} (nothing to resume in ${outDir})`, outDir);
    const ck = opts.lastCheckpoint ?? loadLastCheckpoint(lastPath);
    checkResumable(ck.meta, model.config, c, dataIdentity(data), lastPath);
    p = restoreLastCheckpoint(ck, model, opt, lastPath);
    if (existsSync(bestPath)) bestTensors = loadBestCheckpoint(bestPath).tensors;
    resumedFrom = { epoch: p.epoch, stepInEpoch: p.stepInEpoch };
    log(`resumed from ${lastPath}: epoch ${p.epoch + 1}, batch ${p.stepInEpoch}/${stepsPerEpoch}, step ${p.globalStep}`);
  }

  const pc = model.parameterCount();
  log(`model: ${model.config.nLayers} x ${model.config.init}${model.config.trainableA ? "" : " (frozen A)"} H=${model.config.dModel} N=${model.config.dState}, ${pc.trainable} trainable / ${pc.total} parameters; data ${data.name} L=${data.length} train ${data.train.n} val ${data.val.n}${data.test ? ` test ${data.test.n}` : ""}; backend ${backend}`);
  for (const line of opt.describe()) log(line);
  if (outDir) writeRunConfig(outDir, model.config, c, data.name, backend);
  const saveLast = async (at: RunProgress) => {
    if (outDir) await saveLastCheckpoint(lastPath, model, opt, { model: model.config, train: c, data: dataIdentity(data), ...at, backend });
  };

  // Validation points: after these step counts within each epoch (the last is the epoch's end).
  const evals = Math.min(c.evalsPerEpoch, stepsPerEpoch);
  const evalAfter = new Set(Array.from({ length: evals }, (_, j) => Math.round(((j + 1) * stepsPerEpoch) / evals)));
  const evaluatePoint = async (stepsDone: number) => {
    await yieldToEventLoop(); // lets a notebook show this point's output now, not when the cell ends
    const acc = p.epochAcc;
    const v = await evaluate(model, data, data.val, c.evalBatchSize);
    const epoch = stepsDone === stepsPerEpoch ? p.epoch + 1 : Math.round((p.epoch + stepsDone / stepsPerEpoch) * 1e4) / 1e4;
    const m: EpochMetrics = {
      epoch, step: p.globalStep, lr: c.lr * schedule(Math.max(0, p.globalStep - 1)),
      trainLoss: acc.loss / acc.count, trainAcc: kind === "classification" ? acc.correct / (acc.count * perY) : undefined,
      valLoss: v.loss, valAcc: v.acc, seconds: acc.seconds, samplesPerSec: acc.count / Math.max(1e-9, acc.seconds),
    };
    p.history.push(m);
    log(`epoch ${m.epoch}/${c.epochs}: train loss ${m.trainLoss.toFixed(4)}${m.trainAcc !== undefined ? ` acc ${m.trainAcc.toFixed(4)}` : ""} | val loss ${m.valLoss.toFixed(4)}${m.valAcc !== undefined ? ` acc ${m.valAcc.toFixed(4)}` : ""} | ${m.seconds.toFixed(1)} s, ${m.samplesPerSec.toFixed(1)} samples/s`);
    const better = kind === "classification" && v.acc !== undefined ? v.acc > (p.best.valAcc ?? -1) : v.loss < p.best.valLoss;
    if (better) {
      p.best = { epoch: m.epoch, valLoss: v.loss, valAcc: v.acc };
      bestTensors = await modelTensors(model);
      if (outDir) saveBestCheckpoint(bestPath, p.best, model.config, c, data.name, bestTensors);
    }
    // Training loss and accuracy of a point are over the steps since the previous point.
    p.epochAcc = emptyEpochAcc();
    if (outDir) writeMetrics(outDir, p.history);
  };

  let stepsThisRun = 0;
  let lastYield = Date.now();
  const bar = typeof opts.progress === "function" ? opts.progress : opts.progress === false ? undefined : progressBar();
  while (p.epoch < c.epochs) {
    const perm = epochPermutation(data.train.n, c.seed, p.epoch);
    let t0 = Date.now();
    for (; p.stepInEpoch < stepsPerEpoch; p.stepInEpoch++) {
      if (opts.stopAfterSteps !== undefined && stepsThisRun >= opts.stopAfterSteps) {
        opt.dispose();
        return { history: p.history, best: p.best, stepsThisRun, resumedFrom, outDir };
      }
      const idx = perm.subarray(p.stepInEpoch * c.batchSize, Math.min(data.train.n, (p.stepInEpoch + 1) * c.batchSize));
      opt.lrScale = schedule(p.globalStep);
      const { x, y } = makeBatch(data.train, idx, data);
      const { value, grads, correct: correctT, lossV, gnorm } = await gradientStep(model, x, y, kind, vars, (c.seed * 1000003 + p.globalStep) % 2147483647);
      tf.dispose([x, y]);
      if (!Number.isFinite(lossV) || !Number.isFinite(gnorm)) {
        const err = await divergence(`step ${p.globalStep} (epoch ${p.epoch + 1}, batch ${p.stepInEpoch + 1}): loss ${lossV}, gradient norm ${gnorm}`, grads, vars, nameOf,
          `Nothing was updated at this step${outDir ? `; the last good checkpoint is ${lastPath}` : ""}. Try a smaller lr (now ${c.lr}, ssm ${c.ssmLr}), gradClip, or dtMax.`);
        tf.dispose([value, ...Object.values(grads)]);
        correctT?.dispose();
        throw err;
      }
      const named: Record<string, tf.Tensor> = {};
      const scale = c.gradClip > 0 && gnorm > c.gradClip ? c.gradClip / gnorm : 1;
      for (const [vn, g] of Object.entries(grads)) named[nameOf.get(vn)!] = scale === 1 ? g : tf.mul(g, scale);
      opt.apply(named);
      tf.dispose([value, ...Object.values(grads), ...(scale === 1 ? [] : Object.values(named))]);
      const acc = p.epochAcc;
      acc.loss += lossV * idx.length;
      acc.count += idx.length;
      if (correctT) {
        acc.correct += (await correctT.data())[0];
        correctT.dispose();
      }
      opts.onStep?.(p.globalStep, lossV);
      p.globalStep++;
      stepsThisRun++;
      const now = Date.now();
      acc.seconds += (now - t0) / 1000;
      t0 = now;
      bar?.(p.globalStep, c.epochs * stepsPerEpoch, `epoch ${p.epoch + 1}/${c.epochs} loss ${(acc.loss / acc.count).toFixed(4)}${kind === "classification" ? ` acc ${(acc.correct / acc.count / perY).toFixed(3)}` : ""} ${(acc.count / Math.max(1e-9, acc.seconds)).toFixed(1)} samples/s`);
      if (now - lastYield > 1000) {
        await yieldToEventLoop();
        lastYield = Date.now();
        t0 = lastYield; // the yield is not training time
      }
      if (evalAfter.has(p.stepInEpoch + 1)) {
        await evaluatePoint(p.stepInEpoch + 1);
        t0 = Date.now();
      }
      // The checkpoint resumes after this batch.
      if (c.checkpointEvery > 0 && p.globalStep % c.checkpointEvery === 0 && p.stepInEpoch + 1 < stepsPerEpoch) await saveLast({ ...p, stepInEpoch: p.stepInEpoch + 1 });
    }

    p.epoch++;
    p.stepInEpoch = 0;
    if (outDir) await saveLast(p);
  }

  let test: TrainResult["test"];
  if (data.test) {
    // Test at the best validation epoch (the usual protocol); the model is left at those weights.
    if (bestTensors) loadModelTensors(model, bestTensors, "best weights");
    test = await evaluate(model, data, data.test, c.evalBatchSize);
    log(`test (best epoch ${p.best.epoch}): loss ${test.loss.toFixed(4)}${test.acc !== undefined ? ` acc ${test.acc.toFixed(4)}` : ""}`);
    if (outDir) writeTestResult(outDir, p.best.epoch, test);
  }
  opt.dispose();
  return { history: p.history, best: p.best, test, stepsThisRun, resumedFrom, outDir };
}

/** The error for a step gone non-finite: which gradients and which parameters (read before they are disposed). */
async function divergence(at: string, grads: tf.NamedTensorMap, vars: tf.Variable[], nameOf: Map<string, string>, advice: string): Promise<TrainingDiverged> {
  const bad: string[] = [];
  for (const [vn, g] of Object.entries(grads)) {
    const d = await g.data();
    let k = 0;
    for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) k++;
    if (k) bad.push(`${nameOf.get(vn) ?? vn} (${k} of ${d.length} entries)`);
  }
  const values = await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));
  const badParams = vars.filter((_, i) => !values[i].every(Number.isFinite)).map((v) => nameOf.get(v.name) ?? v.name);
  return new TrainingDiverged(
    `training diverged at ${at}. ` + (bad.length ? `Non-finite gradients: ${bad.join(", ")}. ` : "") + (badParams.length ? `Non-finite parameters: ${badParams.join(", ")}. ` : "") + advice,
  );
}
