// tf.customGrad with typed tensor inputs (tfjs types them as Tensor | GradSaveFunc), and the save
// function passed last. Every op here returns one tensor and one gradient per input.
import * as tf from "@tensorflow/tfjs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function customOp(f: (...args: any[]) => { value: tf.Tensor; gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor[] }): (...inputs: tf.Tensor[]) => tf.Tensor {
  const g = tf.customGrad(f as unknown as Parameters<typeof tf.customGrad>[0]);
  return (...inputs) => g(...inputs);
}
