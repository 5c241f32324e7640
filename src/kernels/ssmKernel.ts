// Trainable diagonal-SSM kernel on TensorFlow.js: the S4D kernel of state-spaces/s4 (S4DKernel in
// models/s4/s4d.py; SSMKernelDiag in src/models/sequence/kernels/ssm.py), generalized to any
// DiagonalSSM from the init registry (conjugate-pair representatives with weight 2, real modes
// weight 1).
//   parameters per channel h and mode m: log Δ_h, log(−Re λ_hm), Im λ_hm, C_hm (re, im); B ≡ 1.
//   ZOH:      Ā = e^{Δλ},                     c = w·C·(e^{Δλ} − 1)/λ
//   bilinear: Ā = (1 + Δλ/2)/(1 − Δλ/2),      c = w·C·Δ/(1 − Δλ/2)
//   K[h, l] = Σ_m Re(c_hm Ā_hm^l)            (vandermonde.ts)
// Re λ = −exp(logNegRe) keeps every mode stable whatever the optimizer does (real_transform='exp').
// Porting note: state-spaces/s4 initializes all H channels with the same S4D-Lin modes; we take the
// modes from any registry init and broadcast them, which is how W4S4 plugs WaLRUS in.
import * as tf from "@tensorflow/tfjs";
import { ParameterError, requireFinite, requireInt, requireOneOf } from "../errors.js";
import { mulberry32, normalStream } from "../random.js";
import type { DiagonalSSM, Discretization } from "../ssm/types.js";
import { DEFAULT_KERNEL_MEMORY_BUDGET, vandermondeJs, vandermondeTf, type VandermondeInputs } from "./vandermonde.js";
import { vandermondeWgsl } from "./wgsl/vandermonde.js";
import { isHostBackend } from "../backend.js";

export interface KernelParamsOptions {
  /** Smallest initial step; log Δ ~ U[log dtMin, log dtMax]. Default 1e-3. */
  dtMin?: number;
  /** Largest initial step. Default 1e-1. */
  dtMax?: number;
  /** Seed for Δ and C. Default 0. */
  seed?: number;
  /** "normal": C ~ complex normal (re, im each N(0, ½)), as state-spaces/s4. "init": the init's own C (residues). Default "normal". */
  cInit?: "normal" | "init";
  /** Train Λ (false = the W4S4 frozen-A setting). Default true. */
  trainableA?: boolean;
  /** Train log Δ. Default true. */
  trainableDt?: boolean;
  /** Smallest |Re λ| kept at init (a mode with Re λ = 0 would never decay). Default 1e-4. */
  minDecay?: number;
  /** Variable name prefix (for optimizer groups and checkpoints). Default "ssm". */
  name?: string;
}

export interface SSMKernelParams {
  H: number;
  /** Modes per channel. */
  M: number;
  logDt: tf.Variable; // [H]
  logNegRe: tf.Variable; // [H, M]
  im: tf.Variable; // [H, M]
  cRe: tf.Variable; // [H, M]
  cIm: tf.Variable; // [H, M]
  /** Mode weights w_m (2 pair, 1 real), constant. */
  weight: tf.Tensor1D;
  /** Logical parameter names ("ssm/log_dt", …) for optimizer groups and checkpoints. */
  names: Record<"logDt" | "logNegRe" | "im" | "cRe" | "cIm", string>;
  init: string;
}

export function initKernelParams(diag: DiagonalSSM, H: number, opts: KernelParamsOptions = {}): SSMKernelParams {
  requireInt("H", H, 1);
  const dtMin = requireFinite("dtMin", opts.dtMin ?? 1e-3, { min: 0, exclusiveMin: true });
  const dtMax = requireFinite("dtMax", opts.dtMax ?? 1e-1, { min: dtMin });
  const cInit = requireOneOf("cInit", opts.cInit ?? "normal", ["normal", "init"] as const);
  const minDecay = opts.minDecay ?? 1e-4;
  const seed = opts.seed ?? 0;
  const name = opts.name ?? "ssm";
  const M = diag.lambda.re.length;
  for (let m = 0; m < M; m++) {
    if (!Number.isFinite(diag.lambda.re[m]) || !Number.isFinite(diag.lambda.im[m])) throw new ParameterError(`lambda[${m}]`, "finite", [diag.lambda.re[m], diag.lambda.im[m]]);
    // Round-off can leave a marginal mode (FouT's zero eigenvalue) a hair above 0; it is clamped to
    // −minDecay below. A real instability is an error.
    if (diag.lambda.re[m] > 1e-8 * Math.max(1, Math.abs(diag.lambda.im[m]))) throw new ParameterError(`lambda[${m}]`, "Re λ <= 0 (a stable mode)", diag.lambda.re[m]);
  }
  const u = mulberry32(seed);
  const logDt = Float32Array.from({ length: H }, () => Math.log(dtMin) + u() * (Math.log(dtMax) - Math.log(dtMin)));
  const lnr = new Float32Array(H * M), im = new Float32Array(H * M), cr = new Float32Array(H * M), ci = new Float32Array(H * M);
  const normal = normalStream(seed + 1);
  for (let h = 0; h < H; h++)
    for (let m = 0; m < M; m++) {
      const i = h * M + m;
      lnr[i] = Math.log(Math.max(minDecay, -diag.lambda.re[m]));
      im[i] = diag.lambda.im[m];
      if (cInit === "init") {
        cr[i] = diag.C?.re[m] ?? 1;
        ci[i] = diag.C?.im[m] ?? 0;
      } else {
        cr[i] = normal() * Math.SQRT1_2;
        ci[i] = normal() * Math.SQRT1_2;
      }
    }
  const trainA = opts.trainableA ?? true;
  return {
    H,
    M,
    // tfjs variable names must be unique per process; the logical names live in `names`.
    logDt: tf.variable(tf.tensor1d(logDt), opts.trainableDt ?? true),
    logNegRe: tf.variable(tf.tensor2d(lnr, [H, M]), trainA),
    im: tf.variable(tf.tensor2d(im, [H, M]), trainA),
    cRe: tf.variable(tf.tensor2d(cr, [H, M]), true),
    cIm: tf.variable(tf.tensor2d(ci, [H, M]), true),
    names: { logDt: `${name}/log_dt`, logNegRe: `${name}/A_log_neg_re`, im: `${name}/A_im`, cRe: `${name}/C_re`, cIm: `${name}/C_im` },
    weight: tf.tensor1d(Float32Array.from(diag.weight)),
    init: diag.name,
  };
}

/** (c, log Ā) of every mode as real tf tensors, differentiable in log Δ, Λ and C. */
export function discreteCoefficients(p: SSMKernelParams, disc: Discretization = "zoh"): VandermondeInputs {
  requireOneOf("disc", disc, ["zoh", "bilinear"] as const);
  return tf.tidy(() => {
    const dt = tf.exp(p.logDt).expandDims(1); // [H, 1]
    const lr = tf.neg(tf.exp(p.logNegRe)), li = p.im; // λ
    const ar = tf.mul(dt, lr), ai = tf.mul(dt, li); // Δλ
    const w = p.weight.expandDims(0);
    const cwr = tf.mul(p.cRe, w), cwi = tf.mul(p.cIm, w);
    let fr: tf.Tensor, fi: tf.Tensor, zr: tf.Tensor, zi: tf.Tensor;
    if (disc === "zoh") {
      // (e^{Δλ} − 1)/λ
      const e = tf.exp(ar);
      const nr = tf.sub(tf.mul(e, tf.cos(ai)), 1), ni = tf.mul(e, tf.sin(ai));
      const den = tf.add(tf.square(lr), tf.square(li));
      fr = tf.div(tf.add(tf.mul(nr, lr), tf.mul(ni, li)), den);
      fi = tf.div(tf.sub(tf.mul(ni, lr), tf.mul(nr, li)), den);
      zr = ar;
      zi = ai;
    } else {
      // Ā = (1 + Δλ/2)/(1 − Δλ/2); factor Δ/(1 − Δλ/2)
      const pr = tf.add(1, tf.div(ar, 2)), pi = tf.div(ai, 2);
      const qr = tf.sub(1, tf.div(ar, 2)), qi = tf.neg(tf.div(ai, 2));
      const q2 = tf.add(tf.square(qr), tf.square(qi));
      const Ar = tf.div(tf.add(tf.mul(pr, qr), tf.mul(pi, qi)), q2);
      const Ai = tf.div(tf.sub(tf.mul(pi, qr), tf.mul(pr, qi)), q2);
      zr = tf.mul(0.5, tf.log(tf.add(tf.square(Ar), tf.square(Ai))));
      zi = tf.atan2(Ai, Ar);
      fr = tf.div(tf.mul(dt, qr), q2);
      fi = tf.div(tf.mul(dt, tf.neg(qi)), q2);
    }
    return {
      cRe: tf.sub(tf.mul(cwr, fr), tf.mul(cwi, fi)) as tf.Tensor2D,
      cIm: tf.add(tf.mul(cwr, fi), tf.mul(cwi, fr)) as tf.Tensor2D,
      logZRe: zr as tf.Tensor2D,
      logZIm: zi as tf.Tensor2D,
    };
  });
}

export const KERNEL_METHODS = ["auto", "js", "wgsl", "tf"] as const;
export type KernelMethod = (typeof KERNEL_METHODS)[number];

export function resolveKernelMethod(m: KernelMethod = "auto"): Exclude<KernelMethod, "auto"> {
  requireOneOf("method", m, KERNEL_METHODS);
  if (m !== "auto") return m;
  return isHostBackend() ? "js" : tf.getBackend() === "webgpu" ? "wgsl" : "tf";
}

export interface KernelOptions {
  /** Default "zoh" (the S4D default). */
  disc?: Discretization;
  /** "auto" (default): "js" on cpu/wasm, "wgsl" on webgpu, "tf" elsewhere (keeps the GPU busy, no host round-trip). */
  method?: KernelMethod;
  /** Chunk budget of the tf path. Default 64 MiB. */
  memoryBudgetBytes?: number;
}

/** The [H, L] convolution kernel of the SSM, differentiable in every trainable parameter. */
export function ssmKernel(p: SSMKernelParams, L: number, opts: KernelOptions = {}): tf.Tensor2D {
  requireInt("L", L, 1);
  const method = resolveKernelMethod(opts.method);
  return tf.tidy(() => {
    const x = discreteCoefficients(p, opts.disc ?? "zoh");
    if (method === "js") return vandermondeJs(x, L);
    if (method === "wgsl") return vandermondeWgsl(x, L);
    return vandermondeTf(x, L, opts.memoryBudgetBytes ?? DEFAULT_KERNEL_MEMORY_BUDGET);
  });
}

/** Dispose every tensor of the parameters. */
export function disposeKernelParams(p: SSMKernelParams): void {
  for (const t of [p.logDt, p.logNegRe, p.im, p.cRe, p.cIm, p.weight]) t.dispose();
}
