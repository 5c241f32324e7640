// Gradients of tfjs' Sum and Mean that broadcast dy as fill(x.shape, 0) + dy instead of tfjs' own
// dy · ones(x.shape), whose ones tensor is filled element by element in JavaScript and then copied
// into the backend. On wasm at [16, 128, 1024] (2 cores): 8.6 ms against 1.0 ms (tf.broadcastTo is
// worse, 164 ms: tfjs-wasm's Tile runs tfjs-cpu's JavaScript loop). Used by the loss of npm run
// bench's layer row and the model's mean pool over the sequence. Same values: 0 + dy = dy·1.
import * as tf from "@tensorflow/tfjs";

function expandedDy(dy: tf.Tensor, x: tf.Tensor, axis: number | number[]): tf.Tensor {
  const shape = x.shape.slice();
  for (const a of tf.util.parseAxisParam(axis, x.shape)) shape[a] = 1;
  return tf.reshape(dy, shape);
}

const reduceSize = (x: tf.Tensor, axis: number | number[]) =>
  tf.util.parseAxisParam(axis, x.shape).reduce((n, a) => n * x.shape[a], 1);

const broadcast = (t: tf.Tensor, shape: number[]) => tf.add(tf.fill(shape, 0, "float32"), t);

const sumGrad: tf.GradFunc = (dy, saved, attrs) => {
  const [x] = saved;
  const { axis } = attrs as unknown as { axis: number | number[] };
  return { x: () => broadcast(expandedDy(dy as tf.Tensor, x, axis), x.shape) };
};

const meanGrad: tf.GradFunc = (dy, saved, attrs) => {
  const [x] = saved;
  const { axis } = attrs as unknown as { axis: number | number[] };
  return { x: () => broadcast(tf.div(expandedDy(dy as tf.Tensor, x, axis), reduceSize(x, axis)), x.shape) };
};

/**
 * Register the two gradients (they apply on every backend). Called after each backend init: a
 * backend package that loads its own copy of tfjs-core re-registers tfjs' gradients over ours.
 */
export function registerReductionGradients(): void {
  if (tf.getGradient(tf.Sum)?.gradFunc !== sumGrad) tf.registerGradient({ kernelName: tf.Sum, inputsToSave: ["x"], gradFunc: sumGrad });
  if (tf.getGradient(tf.Mean)?.gradFunc !== meanGrad) tf.registerGradient({ kernelName: tf.Mean, inputsToSave: ["x"], gradFunc: meanGrad });
}

/** Whether ours are the registered Sum and Mean gradients (for the test). */
export const reductionGradientsRegistered = () => tf.getGradient(tf.Sum)?.gradFunc === sumGrad && tf.getGradient(tf.Mean)?.gradFunc === meanGrad;
