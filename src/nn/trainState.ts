// What the trainer keeps in a run directory (runDir.ts owns the layout): the typed metadata of
// last.ckpt and best.ckpt, the model and optimizer tensors they hold, the resume compatibility
// check, and config.json, metrics.jsonl/.csv, test.json.
import * as tf from "@tensorflow/tfjs";
import { join } from "node:path";
import { ParameterError } from "../errors.js";
import { writeFileAtomic } from "../io/atomic.js";
import type { TrainData } from "../datasets/types.js";
import type { AdamW, AdamWState } from "./adamw.js";
import { CheckpointError, loadCheckpoint, saveCheckpoint, type Checkpoint, type StoredTensor } from "./checkpoint.js";
import type { ResolvedModelConfig, SSMModel } from "./model.js";
import { RUN_FILES } from "./runDir.js";
import type { ResolvedTrainConfig } from "./trainConfig.js";

/** One validation point. `epoch` counts epochs done: fractional between epoch ends (train.evalsPerEpoch). */
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

export interface BestEpoch {
  epoch: number;
  valLoss: number;
  valAcc?: number;
}

/** The data a run was trained on, as far as a resume can check it. */
export interface DataIdentity {
  name: string;
  length: number;
  nTrain: number;
}

/** Where a run stands: everything in last.ckpt besides the tensors, the configs and the backend. */
export interface RunProgress {
  epoch: number; // epoch in progress (0-based)
  stepInEpoch: number; // batches of that epoch already done
  globalStep: number;
  history: EpochMetrics[];
  best: BestEpoch;
  /** Sums over the batches of the epoch in progress. */
  epochAcc: { loss: number; correct: number; count: number; seconds: number };
}

export const LAST_CKPT_VERSION = 1;

/** Metadata of last.ckpt, the resume point. Its tensors: the model's, then `adam.m/<name>`, `adam.v/<name>`. */
export interface CkptMeta extends RunProgress {
  version: typeof LAST_CKPT_VERSION;
  model: ResolvedModelConfig;
  train: ResolvedTrainConfig;
  data: DataIdentity;
  adam: { step: number };
  backend: string;
}

/** Metadata of best.ckpt (the weights of the best validation epoch), read by `w4s4 eval`. */
export interface BestMeta extends BestEpoch {
  model: ResolvedModelConfig;
  train: ResolvedTrainConfig;
  /** The data set's name. */
  data: string;
}

export function dataIdentity(data: TrainData): DataIdentity {
  return { name: data.name, length: data.length, nTrain: data.train.n };
}

export function freshProgress(): RunProgress {
  return { epoch: 0, stepInEpoch: 0, globalStep: 0, history: [], best: { epoch: -1, valLoss: Infinity }, epochAcc: emptyEpochAcc() };
}

export function emptyEpochAcc(): RunProgress["epochAcc"] {
  return { loss: 0, correct: 0, count: 0, seconds: 0 };
}

// Reads are asynchronous: the webgpu backend cannot read a GPU buffer synchronously in Node.
async function snapshot(vars: { name: string; variable: tf.Variable }[]): Promise<Record<string, StoredTensor>> {
  const data = await Promise.all(vars.map((v) => v.variable.data() as Promise<Float32Array>));
  return Object.fromEntries(vars.map((v, i) => [v.name, { shape: v.variable.shape.slice(), data: data[i].slice() }]));
}

function restore(vars: { name: string; variable: tf.Variable }[], t: Record<string, StoredTensor>, where: string): void {
  for (const v of vars) {
    const e = t[v.name];
    if (!e || e.data.length !== v.variable.size) throw new Error(`${where}: parameter ${v.name} ${e ? `has ${e.data.length} values, the model ${v.variable.size}` : "is missing"}`);
    v.variable.assign(tf.tensor(e.data, v.variable.shape));
  }
}

/** Save model state (parameters + buffers) for `w4s4 eval` and notebooks. */
export function modelTensors(model: SSMModel): Promise<Record<string, StoredTensor>> {
  return snapshot([...model.namedVariables(), ...model.norms.flatMap((n) => n.buffers())]);
}

export function loadModelTensors(model: SSMModel, t: Record<string, StoredTensor>, where = "checkpoint"): void {
  restore([...model.namedVariables(), ...model.norms.flatMap((n) => n.buffers())], t, where);
}

const ADAM_M = "adam.m/", ADAM_V = "adam.v/";

export async function saveLastCheckpoint(path: string, model: SSMModel, opt: AdamW, run: Omit<CkptMeta, "version" | "adam">): Promise<void> {
  const st = await opt.getState();
  const tensors: Record<string, StoredTensor> = { ...(await modelTensors(model)) };
  for (const [k, t] of Object.entries(st.m)) tensors[ADAM_M + k] = t;
  for (const [k, t] of Object.entries(st.v)) tensors[ADAM_V + k] = t;
  // Spelled out: this order is the order of the keys in the file.
  const meta: CkptMeta = {
    version: LAST_CKPT_VERSION, model: run.model, train: run.train, data: run.data,
    epoch: run.epoch, stepInEpoch: run.stepInEpoch, globalStep: run.globalStep, history: run.history, best: run.best, epochAcc: run.epochAcc,
    adam: { step: st.step }, backend: run.backend,
  };
  saveCheckpoint(path, { meta, tensors });
}

export function loadLastCheckpoint(path: string): Checkpoint<CkptMeta> {
  const ck = loadCheckpoint<CkptMeta>(path);
  const v = (ck.meta as { version?: unknown } | null)?.version;
  if (v !== LAST_CKPT_VERSION) throw new CheckpointError(path, `metadata version ${JSON.stringify(v)}, this build reads ${LAST_CKPT_VERSION}`);
  // JSON has no Infinity: a checkpoint written before the first epoch ended holds best.valLoss = null,
  // and a regression run resumed from it would then never record a best epoch (loss < null is false).
  if (ck.meta.best.valLoss === null) ck.meta.best.valLoss = Infinity;
  return ck;
}

/** Refuses to resume a run into a different model (its seed aside), training config (epochs aside) or data. */
export function checkResumable(m: CkptMeta, model: ResolvedModelConfig, train: ResolvedTrainConfig, data: DataIdentity, path: string): void {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  // The model seed only sets initial weights, which the checkpoint replaces.
  if (!same({ ...m.model, seed: 0 }, { ...model, seed: 0 })) throw new ParameterError("resume", `the model config stored in ${path}`, "a different model config");
  const { epochs: _e1, ...t1 } = m.train, { epochs: _e2, ...t2 } = train;
  if (!same(t1, t2)) throw new ParameterError("resume", `the training config stored in ${path} (only epochs may change)`, "a different training config");
  if (!same(m.data, data)) throw new ParameterError("resume", `the data set stored in ${path} (${JSON.stringify(m.data)})`, data);
}

/** Puts last.ckpt's weights into the model and its moments into the optimizer; returns where the run stood. */
export function restoreLastCheckpoint(ck: Checkpoint<CkptMeta>, model: SSMModel, opt: AdamW, path: string): RunProgress {
  loadModelTensors(model, ck.tensors, path);
  const st: AdamWState = { step: ck.meta.adam.step, m: {}, v: {} };
  for (const [k, t] of Object.entries(ck.tensors)) {
    if (k.startsWith(ADAM_M)) st.m[k.slice(ADAM_M.length)] = t;
    if (k.startsWith(ADAM_V)) st.v[k.slice(ADAM_V.length)] = t;
  }
  opt.setState(st);
  const { epoch, stepInEpoch, globalStep, history, best, epochAcc } = ck.meta;
  // Copies: the run goes on to change them, and the checkpoint may be the caller's.
  return { epoch, stepInEpoch, globalStep, history: history.slice(), best, epochAcc: { ...epochAcc } };
}

export function saveBestCheckpoint(path: string, best: BestEpoch, model: ResolvedModelConfig, train: ResolvedTrainConfig, dataName: string, tensors: Record<string, StoredTensor>): void {
  const meta: BestMeta = { epoch: best.epoch, valLoss: best.valLoss, valAcc: best.valAcc, model, train, data: dataName };
  saveCheckpoint(path, { meta, tensors });
}

export function loadBestCheckpoint(path: string): Checkpoint<BestMeta> {
  return loadCheckpoint<BestMeta>(path);
}

/** config.json: the resolved configs, as this run used them. */
export function writeRunConfig(outDir: string, model: ResolvedModelConfig, train: ResolvedTrainConfig, dataName: string, backend: string): void {
  writeFileAtomic(join(outDir, RUN_FILES.config), JSON.stringify({ model, train, data: dataName, backend }, null, 2) + "\n");
}

export function writeMetrics(outDir: string, history: EpochMetrics[]): void {
  writeFileAtomic(join(outDir, RUN_FILES.metricsJsonl), history.map((h) => JSON.stringify(h)).join("\n") + (history.length ? "\n" : ""));
  const cols = ["epoch", "step", "lr", "trainLoss", "trainAcc", "valLoss", "valAcc", "seconds", "samplesPerSec"] as const;
  writeFileAtomic(join(outDir, RUN_FILES.metricsCsv), [cols.join(","), ...history.map((h) => cols.map((c) => h[c] ?? "").join(","))].join("\n") + "\n");
}

export function writeTestResult(outDir: string, bestEpoch: number, test: { loss: number; acc?: number }): void {
  writeFileAtomic(join(outDir, RUN_FILES.test), JSON.stringify({ bestEpoch, ...test }, null, 2) + "\n");
}
