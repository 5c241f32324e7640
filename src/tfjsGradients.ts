// Gradients of tfjs' Sum and Mean that broadcast dy (one Tile kernel) instead of tfjs' own
// dy · ones(x.shape), whose ones tensor is filled element by element in JavaScript and then copied
// into the backend: on wasm at [16, 128, 1024] that was 12 ms of a 190 ms layer step (the loss of
// npm run bench's layer row, and the model's mean pool over the sequence). Same values: dy·1 = dy.
import * as tf from "@tensorflow/tfjs";

function expandedDy(dy: tf.Tensor, x: tf.Tensor, axis: number | number[]): tf.Tensor {
  const shape = x.shape.slice();
  for (const a of tf.util.parseAxisParam(axis, x.shape)) shape[a] = 1;
  return tf.reshape(dy, shape);
}

const reduceSize = (x: tf.Tensor, axis: number | number[]) =>
  tf.util.parseAxisParam(axis, x.shape).reduce((n, a) => n * x.shape[a], 1);

let registered = false;

/** Register the two gradients (once per process; they apply on every backend). */
export function registerReductionGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.Sum,
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const { axis } = attrs as unknown as { axis: number | number[] };
      return { x: () => tf.broadcastTo(expandedDy(dy as tf.Tensor, x, axis), x.shape) };
    },
  });
  tf.registerGradient({
    kernelName: tf.Mean,
    inputsToSave: ["x"],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved;
      const { axis } = attrs as unknown as { axis: number | number[] };
      return { x: () => tf.broadcastTo(tf.div(expandedDy(dy as tf.Tensor, x, axis), reduceSize(x, axis)), x.shape) };
    },
  });
}
