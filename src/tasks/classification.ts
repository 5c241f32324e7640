// Sequence classification (W4S4 Tables 2–3 and the sCIFAR row's stand-in): presets per task and
// size, and one call that loads the data, builds the model for an init and trains it.
// Default presets validate several times per epoch (train.evalsPerEpoch) so that every curve has at
// least 8 points. Sizes: "small" trains in seconds on the CI CPU (a smoke test with real data), "default" in
// minutes on a laptop CPU (the README's main command), "full" is example.py's recipe (GPU hours).
import { DATASET_NAMES, loadDataset, SC10_WORDS } from "../datasets/index.js";
import type { SeqDataset, TrainData } from "../datasets/types.js";
import { ParameterError, requireOneOf } from "../errors.js";
import { SIZES, type Size as NotebookSize } from "../notebookSize.js";
import { SSMModel, type ModelConfig } from "../nn/model.js";
import type { TrainConfig } from "../nn/trainConfig.js";
import { train, type TrainOptions, type TrainResult } from "../nn/trainer.js";
import type { InitName } from "../ssm/registry.js";

/** Every data set of src/datasets is a classification task here. */
export const CLASSIFICATION_TASKS = DATASET_NAMES;
export type ClassificationTask = (typeof CLASSIFICATION_TASKS)[number];

export interface TaskPreset {
  /** Options passed to loadDataset (subsampling, lengths, sample rate). */
  data: Record<string, unknown>;
  model: Omit<ModelConfig, "input" | "dOutput" | "init">;
  train: TrainConfig;
}

type Sized = Record<NotebookSize, TaskPreset>;

// example.py's recipe: H 128, 4 layers, dropout 0.1, lr 0.01, wd 0.01, batch 64, 100 epochs.
const FULL_MODEL = { dModel: 128, nLayers: 4, dState: 64, dropout: 0.1 } as const;
const FULL_TRAIN: TrainConfig = { epochs: 100, batchSize: 64, lr: 0.01, weightDecay: 0.01 };

export const PRESETS: Record<ClassificationTask, Sized> = {
  fmnist: {
    small: { data: { maxTrain: 256, maxVal: 64, maxTest: 128 }, model: { dModel: 16, nLayers: 1, dState: 16, dropout: 0 }, train: { epochs: 2, batchSize: 32, lr: 0.01 } },
    default: { data: { maxTrain: 1000, maxVal: 200, maxTest: 500 }, model: { dModel: 32, nLayers: 2, dState: 32, dropout: 0 }, train: { epochs: 2, batchSize: 32, lr: 0.01, warmupSteps: 10, evalsPerEpoch: 4 } },
    full: { data: {}, model: FULL_MODEL, train: FULL_TRAIN },
  },
  mnist: {
    small: { data: { maxTrain: 256, maxVal: 64, maxTest: 128 }, model: { dModel: 16, nLayers: 1, dState: 16, dropout: 0 }, train: { epochs: 2, batchSize: 32, lr: 0.01 } },
    default: { data: {}, model: { dModel: 32, nLayers: 2, dState: 32, dropout: 0 }, train: { epochs: 3, batchSize: 32, lr: 0.01, warmupSteps: 10, evalsPerEpoch: 3 } },
    full: { data: {}, model: FULL_MODEL, train: FULL_TRAIN },
  },
  keywords: {
    small: { data: { perClass: 6, sampleRate: 4000, maxVal: 35, maxTest: 70 }, model: { dModel: 16, nLayers: 1, dState: 16, dropout: 0 }, train: { epochs: 2, batchSize: 32, lr: 0.01 } },
    // SC10's ten command words at default (35 classes from ~300 clips do not leave chance in minutes).
    default: { data: { perClass: 40, sampleRate: 4000, words: SC10_WORDS }, model: { dModel: 32, nLayers: 2, dState: 32, dropout: 0 }, train: { epochs: 3, batchSize: 32, lr: 0.01, warmupSteps: 10, evalsPerEpoch: 3 } },
    full: { data: { perClass: 1000, sampleRate: 16000 }, model: FULL_MODEL, train: { ...FULL_TRAIN, epochs: 40 } },
  },
  text: {
    small: { data: { length: 512, maxTrain: 256, maxVal: 64, maxTest: 128 }, model: { dModel: 16, nLayers: 1, dState: 16, dropout: 0, pooling: "mean" }, train: { epochs: 2, batchSize: 32, lr: 0.01 } },
    default: { data: { length: 512, maxTrain: 1000, maxVal: 200, maxTest: 500 }, model: { dModel: 32, nLayers: 2, dState: 32, dropout: 0 }, train: { epochs: 2, batchSize: 32, lr: 0.01, warmupSteps: 10, evalsPerEpoch: 4 } },
    full: { data: { length: 4096 }, model: { ...FULL_MODEL, nLayers: 6, prenorm: true }, train: { ...FULL_TRAIN, epochs: 32, batchSize: 16 } },
  },
  listops: {
    small: { data: { minLength: 64, maxLength: 256, maxTrain: 256, maxVal: 64, maxTest: 128 }, model: { dModel: 16, nLayers: 1, dState: 16, dropout: 0 }, train: { epochs: 2, batchSize: 32, lr: 0.01 } },
    default: { data: { minLength: 128, maxLength: 512, maxTrain: 2000, maxVal: 400, maxTest: 1000 }, model: { dModel: 32, nLayers: 2, dState: 32, dropout: 0 }, train: { epochs: 3, batchSize: 32, lr: 0.01, warmupSteps: 10, evalsPerEpoch: 3 } },
    full: { data: {}, model: { ...FULL_MODEL, nLayers: 8, prenorm: true }, train: { ...FULL_TRAIN, epochs: 40, batchSize: 32 } },
  },
};

/** The paper's contenders: W4S4 (frozen WaLRUS A) vs trainable S4D inits. */
export const CONTENDERS: readonly { label: string; init: InitName; trainableA: boolean }[] = [
  { label: "W4S4 (WaLRUS, frozen A)", init: "walrus", trainableA: false },
  { label: "S4D-LegS", init: "s4d-legs", trainableA: true },
  { label: "S4D-Inv", init: "s4d-inv", trainableA: true },
  { label: "S4D-Lin", init: "s4d-lin", trainableA: true },
];

/**
 * The contenders a notebook trains for a task at a size. Full: all four everywhere. Smaller sizes keep
 * the CPU budget by training, on the paper's two classification tables, only the pair the paper
 * reports (Table 2 text: W4S4 vs S4D-Inv; Table 3 speech: W4S4 vs S4-LegS, our S4D-LegS), and all
 * four on the sCIFAR stand-in.
 */
export function contendersFor(task: ClassificationTask, size: NotebookSize): readonly (typeof CONTENDERS)[number][] {
  if (size === "full" || (task !== "text" && task !== "keywords")) return CONTENDERS;
  const other = task === "text" ? "s4d-inv" : "s4d-legs";
  return CONTENDERS.filter((c) => c.init === "walrus" || c.init === other);
}

export function toTrainData(d: SeqDataset): TrainData {
  return { name: d.name, input: d.input, length: d.length, kind: "classification", train: d.train, val: d.val, test: d.test };
}

export interface RunClassificationOptions {
  task: ClassificationTask;
  init: InitName;
  /** Frozen A (W4S4). Default false. */
  frozenA?: boolean;
  size?: NotebookSize;
  /** Overrides merged over the preset. */
  model?: Partial<ModelConfig>;
  train?: TrainConfig;
  data?: Record<string, unknown>;
  /** Seed for data splits, init and training. Default 0. */
  seed?: number;
  run?: TrainOptions;
  /** Reuse an already loaded data set (notebooks train several inits on one). */
  dataset?: SeqDataset;
}

export interface ClassificationRun {
  task: ClassificationTask;
  init: InitName;
  frozenA: boolean;
  size: NotebookSize;
  dataset: SeqDataset;
  model: SSMModel;
  result: TrainResult;
  parameters: { trainable: number; total: number };
}

export async function loadTaskData(task: ClassificationTask, size: NotebookSize, seed = 0, over: Record<string, unknown> = {}): Promise<SeqDataset> {
  requireOneOf("task", task, CLASSIFICATION_TASKS);
  return loadDataset(task, { seed, ...PRESETS[task][size].data, ...over });
}

/** The preset's model for a task and size, sized to the data set, with one init (scripts/parity.ts exports it before training). */
export function classificationModel(task: ClassificationTask, size: NotebookSize, dataset: SeqDataset, init: InitName, trainableA: boolean, seed: number, over: Partial<ModelConfig> = {}): SSMModel {
  return new SSMModel({ ...PRESETS[task][size].model, ...over, input: dataset.input, dOutput: dataset.nClasses, init, trainableA, seed });
}

export async function runClassification(o: RunClassificationOptions): Promise<ClassificationRun> {
  const task = requireOneOf("task", o.task, CLASSIFICATION_TASKS);
  const size = requireOneOf("size", o.size ?? "default", SIZES);
  const seed = o.seed ?? 0;
  const p = PRESETS[task][size];
  const dataset = o.dataset ?? (await loadTaskData(task, size, seed, o.data));
  if (dataset.name !== task) throw new ParameterError("dataset", `the ${task} data set`, dataset.name);
  const model = classificationModel(task, size, dataset, o.init, !(o.frozenA ?? false), seed, o.model);
  const result = await train(model, toTrainData(dataset), { ...p.train, seed, ...(o.train ?? {}) }, o.run ?? {});
  return { task, init: o.init, frozenA: o.frozenA ?? false, size, dataset, model, result, parameters: model.parameterCount() };
}
