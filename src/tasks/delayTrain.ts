// The paper's "optimise C" done the way a deep model would: Adam on TensorFlow.js (float32) over the
// same float64 states, full batch. It exists to confirm that gradient training reaches the closed-form
// optimum of ridge.ts, i.e. that the delay-task numbers are the loss a trained readout can attain.
//
// What limits agreement (measured, see test/delay-train.test.ts): float32 states carry ~1e-7 relative
// error, and Adam converges at a rate set by the conditioning of X. Where cond(X) is moderate
// (WaLRUS at a moderate dt) the trained MSE lands within a few hundredths of a decade of the optimum;
// where X is ill-conditioned (LegS, very small dt; cond up to 1e15, walrus-math §8.2) no float32
// first-order method can reach the float64 ridge optimum, and we do not claim it.
import * as tf from "@tensorflow/tfjs";
import { initBackend, type BackendName } from "../backend.js";
import { ParameterError, requireFinite, requireInt } from "../errors.js";
import { residualMse, type DesignMatrix } from "./ridge.js";

export interface TrainReadoutOptions {
  /** Adam steps per stage. Default 1500. */
  steps?: number;
  /** Learning rates of the stages, run in order with a fresh Adam each (a step schedule). Default [3e-2, 3e-3, 3e-4]. */
  learningRates?: number[];
  /** Absolute ridge λ added as λ‖C‖²/rows to the mean loss (the closed form's objective / rows). Default 0. */
  lambda?: number;
  /**
   * Scale each state column to unit RMS before training and fold the scale back into C afterwards.
   * It changes the parametrisation, not the attainable MSE (up to the ridge). Default true: it is what a
   * normalised layer would see, and without it Adam's step size is badly matched to columns whose
   * scales differ by orders of magnitude.
   */
  normalizeColumns?: boolean;
  /** Record the loss every this many steps. Default 100. */
  recordEvery?: number;
  /** Force a tfjs backend (see src/backend.ts). Default: the library's automatic choice. */
  backend?: BackendName | "auto";
}

export interface TrainedReadout {
  /** The trained readout in the original state basis (float64 copy of the float32 weights). */
  C: Float64Array;
  /** mean((X C − y)²) of the trained C, evaluated in float64 on the float64 states. */
  mse: number;
  log10mse: number;
  /** Loss history (float32 training loss, log10) for plots. */
  history: { step: number; log10loss: number }[];
  steps: number;
  backend: string;
  seconds: number;
}

/** Full-batch Adam on the float32 copy of (X, y), starting from C = 0. */
export async function trainReadout(X: DesignMatrix, y: Float64Array, opts: TrainReadoutOptions = {}): Promise<TrainedReadout> {
  const steps = requireInt("steps", opts.steps ?? 1500, 1);
  const lrs = opts.learningRates ?? [3e-2, 3e-3, 3e-4];
  if (!Array.isArray(lrs) || lrs.length === 0) throw new ParameterError("learningRates", "a non-empty array of numbers > 0", lrs);
  lrs.forEach((v, i) => requireFinite(`learningRates[${i}]`, v, { min: 0, exclusiveMin: true }));
  const lambda = requireFinite("lambda", opts.lambda ?? 0, { min: 0 });
  const every = requireInt("recordEvery", opts.recordEvery ?? 100, 1);
  if (y.length !== X.rows) throw new ParameterError("y", `length ${X.rows} (rows of X)`, y.length);
  const info = await initBackend({ backend: opts.backend });
  const t0 = performance.now();
  const { rows, cols } = X;
  const scale = new Float64Array(cols).fill(1);
  if (opts.normalizeColumns ?? true) {
    for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let i = 0; i < rows; i++) s += X.data[i * cols + j] ** 2;
      const r = Math.sqrt(s / rows);
      scale[j] = r > 0 ? r : 1;
    }
  }
  const xs = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) xs[i * cols + j] = X.data[i * cols + j] / scale[j];
  const Xt = tf.tensor2d(xs, [rows, cols]);
  const yt = tf.tensor2d(Float32Array.from(y), [rows, 1]);
  // Ridge on the original C = W / scale, so the penalty matches the closed-form objective.
  const pen = tf.tensor2d(Float32Array.from(scale, (s) => (lambda / rows) / (s * s)), [cols, 1]);
  const W = tf.variable(tf.zeros([cols, 1]), true, "readout");
  const lossFn = () => tf.tidy(() => Xt.matMul(W).sub(yt).square().mean().add(W.square().mul(pen).sum())) as tf.Scalar;
  const history: { step: number; log10loss: number }[] = [];
  let step = 0;
  try {
    for (const lr of lrs) {
      const opt = tf.train.adam(lr);
      for (let k = 0; k < steps; k++) {
        const record = (step + 1) % every === 0;
        const l = opt.minimize(lossFn, record, [W]);
        step++;
        if (l) {
          history.push({ step, log10loss: Math.log10((await l.data())[0]) });
          l.dispose();
        }
      }
      opt.dispose();
    }
    const w = await W.data();
    const C = Float64Array.from(w, (v, j) => v / scale[j]);
    const mse = residualMse(X, C, y);
    return { C, mse, log10mse: Math.log10(mse), history, steps: step, backend: info.name, seconds: (performance.now() - t0) / 1000 };
  } finally {
    W.dispose();
    Xt.dispose();
    yt.dispose();
    pen.dispose();
  }
}
