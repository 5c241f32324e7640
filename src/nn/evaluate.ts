// The loss (cross-entropy or MSE) with its correct-prediction count, shared by the training step,
// and evaluation of a model on a whole split.
import * as tf from "@tensorflow/tfjs";
import type { DataSplit, TrainData } from "../datasets/types.js";
import { makeBatch, perSample } from "./batches.js";
import type { SSMModel } from "./model.js";

/** Mean loss, correct count of one batch (logits [b, C] or [b, L, C]). */
export function lossAndCorrect(out: tf.Tensor, y: tf.Tensor, kind: "classification" | "regression"): { loss: tf.Scalar; correct?: tf.Scalar } {
  if (kind === "regression") return { loss: tf.mean(tf.squaredDifference(tf.reshape(out, y.shape), y)) as tf.Scalar };
  const C = out.shape[out.shape.length - 1];
  const logits = tf.reshape(out, [-1, C]);
  const labels = tf.reshape(y, [-1]);
  const logp = tf.logSoftmax(logits);
  const loss = tf.neg(tf.mean(tf.sum(tf.mul(tf.oneHot(labels, C), logp), 1))) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), "float32")) as tf.Scalar;
  return { loss, correct };
}

export async function evaluate(model: SSMModel, data: TrainData, split: DataSplit, batchSize = 128): Promise<{ loss: number; acc?: number }> {
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
    const [l, c] = await Promise.all([r[0].data(), r[1].data()]);
    loss += l[0] * idx.length;
    correct += c[0];
    tf.dispose(r);
  }
  // Per-step classification counts every step's label.
  return { loss: loss / split.n, acc: kind === "classification" ? correct / (split.n * targetsPer) : undefined };
}
