// The causal FFT convolution y = u * K (../fftConv.ts states it and its gradient) on the GPU, in our
// own WGSL: zero-pad to n = 2^k ≥ 2L, Stockham FFT (fft.ts), pointwise product, inverse FFT.
// Two real rows ride in one complex FFT: batch rows b = 2p and 2p + 1 of channel h become the real
// and imaginary parts of row (p, h). Since K is real, (u_a + i·u_b) * K = u_a*K + i·(u_b*K), so the
// inverse transform hands back both outputs with no unpacking step. The same holds for ∂L/∂u
// (correlation with K: multiply by conj K̂). For ∂L/∂K, with X = FFT(u_a + i·u_b) and
// Y = FFT(dy_a + i·dy_b), Re IFFT(Y·conj X) = corr(dy_a, u_a) + corr(dy_b, u_b) exactly (the cross
// terms land in the imaginary part), so the batch sum needs one reduction over pairs and one inverse
// FFT per channel.
// The forward pass keeps X and K̂ for the backward pass (it saves two of its five transforms).
import * as tf from "@tensorflow/tfjs";
import { ParameterError } from "../../errors.js";
import { customOp } from "../customOp.js";
import { fftSize } from "../fftReal.js";
import { fftRowsWgsl } from "./fft.js";
import { CMUL_WGSL, MAX_WGSL_LENGTH, requireWgslBuffer, runWgsl } from "./program.js";

/** u [B, H, L] → complex rows [P·H, 2n], P = ⌈B/2⌉: row (p, h) = u[2p, h] + i·u[2p+1, h], zero-padded. */
function packPairs(u: tf.Tensor, B: number, H: number, L: number, n: number): tf.Tensor {
  const P = Math.ceil(B / 2);
  return runWgsl(
    {
      name: "pack_pairs",
      inputs: ["U"],
      outputShape: [P * H, 2 * n],
      threads: P * H * n,
      uniforms: ["B:i32", "H:i32", "L:i32", "n:i32"],
      code: `
fn main(index : i32) {
  if (index >= uniforms.threads) { return; }
  let row = index / uniforms.n;
  let t = index - row * uniforms.n;
  let p = row / uniforms.H;
  let h = row - p * uniforms.H;
  var re = 0.0;
  var im = 0.0;
  if (t < uniforms.L) {
    re = U[((2 * p) * uniforms.H + h) * uniforms.L + t];
    if (2 * p + 1 < uniforms.B) { im = U[((2 * p + 1) * uniforms.H + h) * uniforms.L + t]; }
  }
  result[2 * index] = re;
  result[2 * index + 1] = im;
}`,
    },
    [u],
    [B, H, L, n],
  );
}

/** Real rows [R, Lk] → complex rows [R, 2n], zero-padded. */
function packReal(k: tf.Tensor, R: number, Lk: number, n: number): tf.Tensor {
  return runWgsl(
    {
      name: "pack_real",
      inputs: ["K"],
      outputShape: [R, 2 * n],
      threads: R * n,
      uniforms: ["Lk:i32", "n:i32"],
      code: `
fn main(index : i32) {
  if (index >= uniforms.threads) { return; }
  let row = index / uniforms.n;
  let t = index - row * uniforms.n;
  result[2 * index] = select(0.0, K[row * uniforms.Lk + t], t < uniforms.Lk);
  result[2 * index + 1] = 0.0;
}`,
    },
    [k],
    [Lk, n],
  );
}

/** X[p, h, :] · F[h, :] (conj F when `conj`), rows of X are (p, h) with h fastest. */
function mulSpectra(x: tf.Tensor, f: tf.Tensor, H: number, n: number, conj: boolean): tf.Tensor {
  const R = x.shape[0];
  return runWgsl(
    {
      name: "mul_spectra",
      inputs: ["X", "F"],
      outputShape: [R, 2 * n],
      threads: R * n,
      uniforms: ["H:i32", "n:i32", "conj:f32"],
      code: `${CMUL_WGSL}
fn main(index : i32) {
  if (index >= uniforms.threads) { return; }
  let row = index / uniforms.n;
  let k = index - row * uniforms.n;
  let h = row % uniforms.H;
  let fi = 2 * (h * uniforms.n + k);
  let p = cmul(vec2<f32>(X[2 * index], X[2 * index + 1]), vec2<f32>(F[fi], uniforms.conj * F[fi + 1]));
  result[2 * index] = p.x;
  result[2 * index + 1] = p.y;
}`,
    },
    [x, f],
    [H, n, conj ? -1 : 1],
  );
}

/** Σ_p Y[p, h, :]·conj X[p, h, :] → [H, 2n]. */
function crossSum(y: tf.Tensor, x: tf.Tensor, P: number, H: number, n: number): tf.Tensor {
  return runWgsl(
    {
      name: "cross_sum",
      inputs: ["Y", "X"],
      outputShape: [H, 2 * n],
      threads: H * n,
      uniforms: ["P:i32", "H:i32", "n:i32"],
      code: `${CMUL_WGSL}
fn main(index : i32) {
  if (index >= uniforms.threads) { return; }
  var acc = vec2<f32>(0.0, 0.0);
  for (var p = 0; p < uniforms.P; p++) {
    let i = 2 * (p * uniforms.H * uniforms.n + index);
    acc += cmul(vec2<f32>(Y[i], Y[i + 1]), vec2<f32>(X[i], -X[i + 1]));
  }
  result[2 * index] = acc.x;
  result[2 * index + 1] = acc.y;
}`,
    },
    [y, x],
    [P, H, n],
  );
}

/** Complex pair rows [P·H, 2n] → real [B, H, L]: b even the real part, b odd the imaginary, times 1/n. */
function unpackPairs(z: tf.Tensor, B: number, H: number, L: number, n: number): tf.Tensor {
  return runWgsl(
    {
      name: "unpack_pairs",
      inputs: ["Z"],
      outputShape: [B, H, L],
      threads: B * H * L,
      uniforms: ["H:i32", "L:i32", "n:i32", "scale:f32"],
      code: `
fn main(index : i32) {
  if (index >= uniforms.threads) { return; }
  let t = index % uniforms.L;
  let bh = index / uniforms.L;
  let h = bh % uniforms.H;
  let b = bh / uniforms.H;
  let i = 2 * (((b / 2) * uniforms.H + h) * uniforms.n + t) + (b % 2);
  result[index] = Z[i] * uniforms.scale;
}`,
    },
    [z],
    [H, L, n, 1 / n],
  );
}

/** Real parts of complex rows [R, 2n], first Lk, times 1/n → [R, Lk]. */
function unpackReal(z: tf.Tensor, R: number, Lk: number, n: number): tf.Tensor {
  return runWgsl(
    {
      name: "unpack_real",
      inputs: ["Z"],
      outputShape: [R, Lk],
      threads: R * Lk,
      uniforms: ["Lk:i32", "n:i32", "scale:f32"],
      code: `
fn main(index : i32) {
  if (index >= uniforms.threads) { return; }
  let row = index / uniforms.Lk;
  let t = index - row * uniforms.Lk;
  result[index] = Z[2 * (row * uniforms.n + t)] * uniforms.scale;
}`,
    },
    [z],
    [Lk, n, 1 / n],
  );
}

/** f(inputs) with every intermediate disposed as soon as it has been consumed. */
function chain(first: tf.Tensor, ...steps: ((t: tf.Tensor) => tf.Tensor)[]): tf.Tensor {
  let cur = first;
  for (const step of steps) {
    const next = step(cur);
    cur.dispose();
    cur = next;
  }
  return cur;
}

/** Causal convolution of u [B, H, L] with K [H, Lk] in WGSL; shapes are checked by the caller. */
export function convWgsl(u: tf.Tensor, k: tf.Tensor, B: number, H: number, L: number, Lk: number): tf.Tensor {
  if (L > MAX_WGSL_LENGTH) throw new ParameterError("L", `at most ${MAX_WGSL_LENGTH} on the webgpu convolution`, L);
  const n = fftSize(2 * L);
  const P = Math.ceil(B / 2);
  // The largest buffers: the packed batch spectrum (P·H·n complex) and the kernel's (H·n complex).
  requireWgslBuffer("B·H·L of the webgpu convolution (its packed spectrum, ⌈B/2⌉·H·2n values for n = FFT size)", Math.max(P, 1) * H * n * 2);
  const op = customOp((uu: tf.Tensor, kk: tf.Tensor, save: tf.GradSaveFunc) => {
    // chain frees each packed buffer as soon as its transform has consumed it.
    const X = chain(packPairs(uu, B, H, L, n), (t) => fftRowsWgsl(t, false));
    const Kf = chain(packReal(kk, H, Lk, n), (t) => fftRowsWgsl(t, false));
    const y = chain(mulSpectra(X, Kf, H, n, false), (t) => fftRowsWgsl(t, true), (t) => unpackPairs(t, B, H, L, n));
    save([X, Kf]);
    X.dispose();
    Kf.dispose();
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, skf] = saved;
        const Y = chain(packPairs(dy, B, H, L, n), (t) => fftRowsWgsl(t, false));
        const du = chain(mulSpectra(Y, skf, H, n, true), (t) => fftRowsWgsl(t, true), (t) => unpackPairs(t, B, H, L, n));
        const dk = chain(crossSum(Y, sx, P, H, n), (t) => fftRowsWgsl(t, true), (t) => unpackReal(t, H, Lk, n));
        Y.dispose();
        return [du, dk];
      },
    };
  });
  return op(u, k);
}
