// The one shape every sequence data set has, so the trainer, the notebooks and the CLI take any of
// them: fixed length L, real inputs [n, L, dInput] (row-major) or token ids [n, L], class labels.
import type { Progress } from "../io/progress.js";

/** Real-valued inputs with dInput channels, or token ids below vocab (padId marks padding). */
export type SeqInput = { kind: "real"; dInput: number } | { kind: "tokens"; vocab: number; padId?: number };

/** A split: x is [n, L, dInput] float32 or [n, L] int32 tokens; y holds n labels (or n·L per step). */
export interface DataSplit {
  x: Float32Array | Int32Array;
  y: Int32Array | Float32Array;
  n: number;
}

/** What the trainer needs of a dataset (a SeqDataset fits). */
export interface TrainData {
  name: string;
  input: SeqInput;
  length: number;
  /** "classification": y are class ids (cross-entropy, accuracy); "regression": y real (MSE). */
  kind?: "classification" | "regression";
  train: DataSplit;
  val: DataSplit;
  test?: DataSplit;
}

export interface SeqSplit extends DataSplit {
  /** Float32Array [n, L, dInput] for real inputs, Int32Array [n, L] for tokens. */
  x: Float32Array | Int32Array;
  /** Class ids in [0, nClasses). */
  y: Int32Array;
  n: number;
}

export interface SeqDataset {
  name: string;
  input: SeqInput;
  nClasses: number;
  classNames: string[];
  /** Sequence length L (every example is padded or truncated to it). */
  length: number;
  train: SeqSplit;
  val: SeqSplit;
  test: SeqSplit;
  /** Where the data came from (package, path, generator) and its licence. */
  source: string;
  /** The paper's data set this one stands in for, and what differs ("" when it is the real thing). */
  standsInFor: string;
}

export interface LoadOptions {
  /** Seed of the splits, subsampling and generated data. Default 0. */
  seed?: number;
  /** Keep at most this many examples per split (stratified by class). Default: all. */
  maxTrain?: number;
  maxVal?: number;
  maxTest?: number;
  /** Cache of generated data (keywords audio). Default data/cache (gitignored). */
  cacheDir?: string;
  /** Progress of long generation steps (done, total, label). */
  onProgress?: Progress;
}

/** A data source that is not installed: the message says how to install it. */
export class MissingDataError extends Error {
  constructor(dataset: string, what: string, install: string) {
    super(`data set "${dataset}": ${what} is missing. Install it with:  ${install}`);
    this.name = "MissingDataError";
  }
}
