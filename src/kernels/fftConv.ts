// FFT convolution y = u * K (causal) as ONE TensorFlow.js op with its own gradient. tfjs cannot
// differentiate through rfft/irfft/complex ops (toolchain.md §2), so the op is a tf.customGrad whose
// vector-Jacobian products are themselves FFT correlations:
//   y[b,h,t]  = Σ_{j ≤ t} K[h,j] u[b,h,t−j]
//   ∂L/∂u[b,h,s] = Σ_{t ≥ s} dy[b,h,t] K[h,t−s]              (correlation of dy with K)
//   ∂L/∂K[h,j]   = Σ_b Σ_{t ≥ j} dy[b,h,t] u[b,h,t−j]        (correlation of dy with u)
// Per backend: "wgsl" on webgpu is our own Stockham FFT in WGSL (wgsl/conv.ts; tfjs' webgpu FFT is
// an O(n²) DFT); "native" uses tf.spectral (the TensorFlow C++/CUDA FFT on tfjs-node-gpu, also webgl);
// on cpu/wasm (tfjs' cpu FFT is ~2000x slower and wasm has none) we pull the arrays and run
// our own: "pffft" (WASM SIMD, float32; pffft.ts) by default, "js" (fft.js, float64 work arrays) as
// its float64 twin. Never a silent O(L²) path: "direct" exists only as the test reference.
// Porting note: state-spaces/s4 FFTConv pads to n = 2L (any n); fft.js needs a power of two, so we
// pad to the next power of two >= 2L — the same linear convolution.
import * as tf from "@tensorflow/tfjs";
import { ParameterError, requireOneOf } from "../errors.js";
import { fftSize, filterRows, kernelGradient, realSpectrum } from "./fftReal.js";
import { customOp } from "./customOp.js";
import { pffftSize, pffftStatus } from "./pffft.js";
import { isHostBackend } from "../backend.js";
import { convBackwardParallel, convolveRowsParallel } from "./convPool.js";
import { tfjsWasmHeap, type TfjsHeap } from "./tfjsHeap.js";
import { convWgsl } from "./wgsl/conv.js";

export const CONV_METHODS = ["auto", "pffft", "js", "wgsl", "native", "direct"] as const;
export type ConvMethod = (typeof CONV_METHODS)[number];

export interface FftConvOptions {
  /** "auto" (default): "wgsl" on webgpu, "native" on tensorflow/webgl, "pffft" on cpu/wasm ("js" where PFFFT cannot load). */
  method?: ConvMethod;
  /**
   * Reject non-finite inputs with a ParameterError naming the tensor (costs one pass and a read).
   * Default true, except on webgpu, which cannot read a GPU buffer synchronously in Node: there it
   * defaults to false and `true` is an error.
   */
  checkFinite?: boolean;
}

export function resolveConvMethod(m: ConvMethod = "auto"): Exclude<ConvMethod, "auto"> {
  requireOneOf("method", m, CONV_METHODS);
  if (m !== "auto") return m;
  if (tf.getBackend() === "webgpu") return "wgsl";
  return !isHostBackend() ? "native" : pffftStatus().ok ? "pffft" : "js";
}

function checkShapes(u: tf.Tensor, k: tf.Tensor): [number, number, number, number] {
  if (u.rank !== 3) throw new ParameterError("u", "a tensor of shape [B, H, L]", u.shape);
  if (k.rank !== 2) throw new ParameterError("K", "a tensor of shape [H, Lk]", k.shape);
  const [B, H, L] = u.shape;
  const [Hk, Lk] = k.shape;
  if (Hk !== H) throw new ParameterError("K", `shape [H = ${H}, Lk] to match u`, k.shape);
  if (Lk > L || Lk < 1) throw new ParameterError("K", `a kernel length Lk in [1, L = ${L}]`, Lk);
  return [B, H, L, Lk];
}

/** t's values d are all finite, else a ParameterError naming the first bad index. */
function requireFiniteData(name: string, t: tf.Tensor, d: ArrayLike<number>): void {
  // A sum is finite whenever every term is (it can also overflow: then the scan finds nothing). The
  // backend's sum costs 1.4 ms on 2M floats on wasm, against 3.5 ms for any JavaScript loop over them.
  if (Number.isFinite(tf.tidy(() => tf.sum(t).dataSync()[0]))) return;
  for (let i = 0; i < d.length; i++) {
    if (!Number.isFinite(d[i])) throw new ParameterError(name, "finite values only", `${d[i]} at flat index ${i}`);
  }
}

function requireFiniteTensor(name: string, t: tf.Tensor): void {
  const ok = tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0]);
  if (!ok) throw new ParameterError(name, "finite values only", "a tensor with NaN or Inf");
}

// ---- js (fft.js) path -------------------------------------------------------------------------

function kernelSpectra(k: ArrayLike<number>, H: number, Lk: number, n: number): Float64Array[] {
  return Array.from({ length: H }, (_, h) => realSpectrum(k, h * Lk, Lk, n));
}

function convJs(u: tf.Tensor, k: tf.Tensor, check: boolean): tf.Tensor {
  const [B, H, L, Lk] = checkShapes(u, k);
  const n = fftSize(2 * L);
  const f = customOp((uu, kk, save) => {
    const ud = uu.dataSync(), kd = kk.dataSync();
    if (check) {
      requireFiniteData("u", uu, ud);
      requireFiniteData("K", kk, kd);
    }
    const y = new Float32Array(B * H * L);
    filterRows(ud, B * H, L, n, kernelSpectra(kd, H, Lk, n), (r) => r % H, false, y);
    save([uu, kk]);
    return {
      value: tf.tensor3d(y, [B, H, L]),
      gradFunc: (dy, saved) => {
        const dyd = dy.dataSync(), sud = saved[0].dataSync(), skd = saved[1].dataSync();
        const du = new Float32Array(B * H * L);
        filterRows(dyd, B * H, L, n, kernelSpectra(skd, H, Lk, n), (r) => r % H, true, du);
        const dk = kernelGradient(dyd, sud, B, H, L, Lk, n);
        return [tf.tensor3d(du, [B, H, L]), tf.tensor2d(dk, [H, Lk])];
      },
    };
  });
  return f(u, k);
}

// ---- pffft (WASM SIMD) path -------------------------------------------------------------------

function convPffft(u: tf.Tensor, k: tf.Tensor, check: boolean): tf.Tensor {
  const [B, H, L, Lk] = checkShapes(u, k);
  const n = pffftSize(2 * L);
  // On tfjs' threaded wasm the rows are read from and written to tfjs' heap in place (tfjsHeap.ts);
  // elsewhere through typed-array copies. The heap is looked up once per pass.
  const inputs = (heap: TfjsHeap | undefined, a: tf.Tensor, b: tf.Tensor) =>
    heap ? [heap.view(a), heap.view(b)] : [a.dataSync() as Float32Array, b.dataSync() as Float32Array];
  // New tensors of these shapes, filled by `fill`: in the heap in place, or from typed arrays.
  const results = (heap: TfjsHeap | undefined, shapes: number[][], fill: (outs: Float32Array[]) => void): tf.Tensor[] => {
    const size = (s: number[]) => s.reduce((a, c) => a * c, 1);
    if (!heap) {
      const outs = shapes.map((s) => new Float32Array(size(s)));
      fill(outs);
      return outs.map((o, i) => tf.tensor(o, shapes[i]));
    }
    const os = shapes.map((s) => heap.output(s));
    try {
      fill(os.map((o) => o.view));
    } catch (e) {
      os.forEach((o) => o.discard());
      throw e;
    }
    return os.map((o) => o.tensor());
  };
  const f = customOp((uu, kk, save) => {
    const heap = tfjsWasmHeap();
    // Views into a SharedArrayBuffer stay valid when the heap grows (a shared memory never detaches).
    const [ud, kd] = inputs(heap, uu, kk);
    if (check) {
      requireFiniteData("u", uu, ud);
      requireFiniteData("K", kk, kd);
    }
    const [value] = results(heap, [[B, H, L]], ([y]) => convolveRowsParallel(ud, kd, B, H, L, Lk, n, false, y));
    save([uu, kk]);
    return {
      value,
      gradFunc: (dy, saved) => {
        const h = tfjsWasmHeap();
        const [dyd, skd] = inputs(h, dy, saved[1]);
        const sud = h ? h.view(saved[0]) : (saved[0].dataSync() as Float32Array);
        // du and dk in one pass (one spectrum of each dy row serves both).
        return results(h, [[B, H, L], [H, Lk]], ([du, dk]) => convBackwardParallel(dyd, sud, skd, B, H, L, Lk, n, du, dk));
      },
    };
  });
  return f(u, k);
}

// ---- native (tf.spectral) path ----------------------------------------------------------------

function padLast(x: tf.Tensor, n: number): tf.Tensor {
  const L = x.shape[x.rank - 1];
  const pads = x.shape.map(() => [0, 0] as [number, number]);
  pads[x.rank - 1] = [0, n - L];
  return tf.pad(x, pads);
}

/** irfft(rfft(a) · S(rfft(b))) on the last axis, with S = conj when `conj`; cropped to L. */
function spectralFilter(a: tf.Tensor, b: tf.Tensor, n: number, L: number, conj: boolean): tf.Tensor {
  return tf.tidy(() => {
    const A = tf.spectral.rfft(padLast(a, n));
    const Bf = tf.spectral.rfft(padLast(b, n));
    const br = tf.real(Bf), bi = conj ? tf.neg(tf.imag(Bf)) : tf.imag(Bf);
    const ar = tf.real(A), ai = tf.imag(A);
    const prod = tf.complex(tf.sub(tf.mul(ar, br), tf.mul(ai, bi)), tf.add(tf.mul(ar, bi), tf.mul(ai, br)));
    const y = tf.spectral.irfft(prod);
    const full = y.reshape([...a.shape.slice(0, -1), n]);
    return tf.slice(full, full.shape.map(() => 0), [...a.shape.slice(0, -1), L]);
  });
}

function convNative(u: tf.Tensor, k: tf.Tensor, check: boolean): tf.Tensor {
  const [B, H, L, Lk] = checkShapes(u, k);
  if (check) {
    requireFiniteTensor("u", u);
    requireFiniteTensor("K", k);
  }
  const n = fftSize(2 * L);
  const f = customOp((uu, kk, save) => {
    save([uu, kk]);
    const kb = tf.tidy(() => kk.reshape([1, H, Lk]));
    const y = spectralFilter(uu, kb, n, L, false);
    kb.dispose();
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [su, sk] = saved;
        const du = spectralFilter(dy, sk.reshape([1, H, Lk]), n, L, true);
        const dk = tf.tidy(() => tf.sum(spectralFilter(dy, su, n, L, true), 0).slice([0, 0], [H, Lk]));
        return [du, dk];
      },
    };
  });
  return f(u, k);
}

// ---- direct O(L²) reference ---------------------------------------------------------------------

/** The O(B·H·L²) causal convolution in plain tf ops (differentiable by autodiff). Test reference only. */
export function directConv(u: tf.Tensor, k: tf.Tensor): tf.Tensor {
  const [, , L, Lk] = checkShapes(u, k);
  return tf.tidy(() => {
    // Toeplitz T[h, t, s] = K[h, t − s] for 0 ≤ t − s < Lk; y[b,h,t] = Σ_s T[h,t,s] u[b,h,s].
    const idx: number[] = [], mask: number[] = [];
    for (let t = 0; t < L; t++)
      for (let s = 0; s < L; s++) {
        const j = t - s;
        idx.push(j >= 0 && j < Lk ? j : 0);
        mask.push(j >= 0 && j < Lk ? 1 : 0);
      }
    const T = tf.gather(k, tf.tensor1d(idx, "int32"), 1).reshape([k.shape[0], L, L]).mul(tf.tensor2d(mask, [L, L]));
    const y = tf.matMul(T, tf.transpose(u, [1, 2, 0])); // [H, L, B]
    return tf.transpose(y, [2, 0, 1]);
  });
}

/**
 * Causal FFT convolution y = u * K. u: [B, H, L]; K: [H, Lk] with Lk ≤ L. Differentiable in u and K.
 */
export function fftConv(u: tf.Tensor, k: tf.Tensor, opts: FftConvOptions = {}): tf.Tensor {
  const method = resolveConvMethod(opts.method);
  const check = opts.checkFinite ?? method !== "wgsl";
  if (method === "direct") return directConv(u, k);
  if (method === "pffft") return convPffft(u, k, check);
  if (method === "wgsl") {
    if (check) throw new ParameterError("checkFinite", "false on webgpu (the check needs a synchronous read)", true);
    const [B, H, L, Lk] = checkShapes(u, k);
    return convWgsl(u, k, B, H, L, Lk);
  }
  return method === "native" ? convNative(u, k, check) : convJs(u, k, check);
}

/**
 * Bidirectional (two-sided) convolution with a forward kernel k0 and a backward kernel k1, both
 * [H, L]: y[t] = Σ_{j ≥ 0} k0[j] u[t−j] + Σ_{m ≥ 1} k1[m−1] u[t+m].
 * Porting note: this is state-spaces/s4 FFTConv's `k = pad(k0, (0, L)) + pad(k1.flip(-1), (L, 0))`
 * with a circular FFT of size 2L, including its deliberate off-by-one: k1[0] multiplies u[t+1], not
 * u[t] (u[t] is counted once, through k0[0]). We compute the anticausal half as a causal convolution
 * of the time-reversed input with [0, k1[0], …, k1[L−2]] (k1[L−1] would reach u[t+L], outside).
 */
export function bidirectionalConv(u: tf.Tensor, k0: tf.Tensor, k1: tf.Tensor, opts: FftConvOptions = {}): tf.Tensor {
  const L = u.shape[2]!;
  if (k1.rank !== 2 || k1.shape[1] !== L) throw new ParameterError("k1", `a tensor of shape [H, L = ${L}]`, k1.shape);
  const forward = fftConv(u, k0, opts);
  const shifted = tf.pad(k1.slice([0, 0], [k1.shape[0], L - 1]), [[0, 0], [1, 0]]);
  const backward = tf.reverse(fftConv(tf.reverse(u, 2), shifted, opts), 2);
  return tf.add(forward, backward);
}
