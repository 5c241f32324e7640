// The training options: every option with its default, its bounds, and the one function that
// resolves and validates them (also used by `w4s4 train` before any work).
import { rejectUnknownKeys, requireFinite, requireInt } from "../errors.js";

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
  /**
   * Validation passes per epoch, evenly spaced in steps (capped at the steps per epoch); each adds a
   * history point and may become the best weights. Default 1 (at epoch ends, as example.py).
   */
  evalsPerEpoch?: number;
}
export type ResolvedTrainConfig = Required<TrainConfig>;

export const TRAIN_CONFIG_KEYS = ["epochs", "batchSize", "lr", "weightDecay", "ssmLr", "warmupSteps", "minLrScale", "gradClip", "seed", "maxStepsPerEpoch", "checkpointEvery", "evalBatchSize", "evalsPerEpoch"] as const;

/** Upper bounds, checked before any work. */
export const TRAIN_LIMITS = { epochs: 100000, batchSize: 4096, evalsPerEpoch: 1000 } as const;

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
    evalsPerEpoch: requireInt("train.evalsPerEpoch", c.evalsPerEpoch ?? 1, 1, TRAIN_LIMITS.evalsPerEpoch),
  };
}

/** Optimizer steps per epoch: every batch of the training split, capped by maxStepsPerEpoch (0 = no cap). */
export function epochSteps(nTrain: number, c: ResolvedTrainConfig): number {
  return Math.min(Math.ceil(nTrain / c.batchSize), c.maxStepsPerEpoch || Infinity);
}
