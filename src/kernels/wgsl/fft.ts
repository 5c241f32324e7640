// A radix-2 Stockham FFT over the rows of a complex array on the GPU, one WGSL dispatch per stage:
// out-of-place, self-sorting (no bit reversal), so a length-n transform is log2(n) passes of n/2
// butterflies per row. Complex rows are stored interleaved [re, im] in a float32 tensor [R, 2n].
// Stage with span s (1, 2, 4, …, n/2), butterfly j < n/2, k = j mod s:
//   a = x[j], b = x[j + n/2]·exp(∓2πi·k/(2s));   y[(j − k)·2 + k] = a + b,   y[(j − k)·2 + k + s] = a − b.
// Twiddle phases are exact binary fractions of a turn, evaluated by cisTurns (program.ts).
import * as tf from "@tensorflow/tfjs";
import { PHASE_WGSL, runWgsl } from "./program.js";

function pass(x: tf.Tensor, R: number, n: number, s: number, sign: number): tf.Tensor {
  return runWgsl(
    {
      name: "fft_stockham_r2",
      inputs: ["X"],
      outputShape: [R, 2 * n],
      threads: (R * n) / 2,
      uniforms: ["n:i32", "s:i32", "sign:f32"],
      code: `${PHASE_WGSL}
fn main(index : i32) {
  if (index >= uniforms.threads) { return; }
  let half = uniforms.n / 2;
  let row = index / half;
  let j = index - row * half;
  let base = 2 * row * uniforms.n;
  let k = j % uniforms.s;
  let a = vec2<f32>(X[base + 2 * j], X[base + 2 * j + 1]);
  let bi = base + 2 * (j + half);
  let w = cisTurns(uniforms.sign * f32(k) / f32(2 * uniforms.s));
  let b = cmul(vec2<f32>(X[bi], X[bi + 1]), w);
  let d = base + 2 * ((j - k) * 2 + k);
  let e = d + 2 * uniforms.s;
  result[d] = a.x + b.x;
  result[d + 1] = a.y + b.y;
  result[e] = a.x - b.x;
  result[e + 1] = a.y - b.y;
}`,
    },
    [x],
    [n, s, sign],
  );
}

/**
 * The unnormalized DFT of every row of x ([R, 2n], interleaved complex; n a power of two):
 * forward exp(−2πi·jk/n), inverse exp(+2πi·jk/n) (divide by n yourself). Disposes nothing it was given.
 */
export function fftRowsWgsl(x: tf.Tensor, inverse: boolean): tf.Tensor {
  const [R, twoN] = x.shape as [number, number];
  const n = twoN / 2;
  if (n < 2 || (n & (n - 1)) !== 0) throw new Error(`fftRowsWgsl: row length ${n} is not a power of two >= 2`);
  let cur = x;
  for (let s = 1; s < n; s *= 2) {
    const next = pass(cur, R, n, s, inverse ? 1 : -1);
    if (cur !== x) cur.dispose();
    cur = next;
  }
  return cur;
}
