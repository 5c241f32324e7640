// Real causal convolutions and correlations on typed arrays with fft.js (radix-4, float64 work
// arrays). tfjs' cpu FFT is ~2000x slower and wasm has none (toolchain.md §2), so on those backends
// the FFT convolution runs here. Two real rows that share a kernel go through ONE complex FFT:
// FFT(a + i·b)·K̂ = Â·K̂ + i·B̂·K̂, and the inverse of that is y_a + i·y_b, since y_a, y_b are real.
import FFT from "fft.js";

const plans = new Map<number, FFT>();
function plan(n: number): FFT {
  let p = plans.get(n);
  if (!p) plans.set(n, (p = new FFT(n)));
  return p;
}

/** Smallest power of two >= m (and >= 4, fft.js's minimum useful size). */
export function fftSize(m: number): number {
  let n = 4;
  while (n < m) n *= 2;
  return n;
}

/** Full complex spectrum (interleaved re, im; length 2n) of a real row zero-padded to n. */
export function realSpectrum(x: ArrayLike<number>, offset: number, len: number, n: number, out?: Float64Array): Float64Array {
  const f = plan(n);
  const z = new Float64Array(2 * n);
  for (let i = 0; i < len; i++) z[2 * i] = x[offset + i];
  const o = out ?? new Float64Array(2 * n);
  f.transform(o, z);
  return o;
}

/**
 * For `rows` real signals of length L stored row-major in `x` (row r at r·L), grouped so that row r
 * uses spectrum `spec[group(r)]` (each a full complex spectrum of length 2n), compute
 * out_r = IFFT(FFT(x_r) · S) restricted to [0, L), with S = spec or conj(spec).
 *   conj = false: causal convolution  out_r[t] = Σ_{j ≤ t} k[j] x_r[t − j]   (n >= 2L, k of length <= L)
 *   conj = true:  correlation         out_r[s] = Σ_{t ≥ s} x_r[t] k[t − s]
 */
export function filterRows(
  x: ArrayLike<number>,
  rows: number,
  L: number,
  n: number,
  spec: Float64Array[],
  group: (r: number) => number,
  conj: boolean,
  out: Float32Array | Float64Array,
): void {
  const f = plan(n);
  const z = new Float64Array(2 * n), Z = new Float64Array(2 * n), w = new Float64Array(2 * n);
  const sgn = conj ? -1 : 1;
  // Pair rows that share a spectrum.
  const byGroup = new Map<number, number[]>();
  for (let r = 0; r < rows; r++) {
    const g = group(r);
    let list = byGroup.get(g);
    if (!list) byGroup.set(g, (list = []));
    list.push(r);
  }
  for (const [g, list] of byGroup) {
    const S = spec[g];
    for (let p = 0; p < list.length; p += 2) {
      const ra = list[p], rb = p + 1 < list.length ? list[p + 1] : -1;
      z.fill(0);
      for (let i = 0; i < L; i++) z[2 * i] = x[ra * L + i];
      if (rb >= 0) for (let i = 0; i < L; i++) z[2 * i + 1] = x[rb * L + i];
      f.transform(Z, z);
      for (let k = 0; k < n; k++) {
        const zr = Z[2 * k], zi = Z[2 * k + 1], sr = S[2 * k], si = sgn * S[2 * k + 1];
        Z[2 * k] = zr * sr - zi * si;
        Z[2 * k + 1] = zr * si + zi * sr;
      }
      f.inverseTransform(w, Z);
      for (let i = 0; i < L; i++) out[ra * L + i] = w[2 * i];
      if (rb >= 0) for (let i = 0; i < L; i++) out[rb * L + i] = w[2 * i + 1];
    }
  }
}

/**
 * dK[h, j] = Σ_b Σ_{t ≥ j} dy[b, h, t] · u[b, h, t − j], j < Lk — the kernel gradient of a causal
 * convolution, accumulated in the frequency domain (one inverse FFT per channel). Spectra of the two
 * signals come from one packed FFT: for z = a + i·b, Â[k] = (Z[k] + conj Z[n−k])/2 and
 * B̂[k] = (Z[k] − conj Z[n−k])/(2i).
 */
export function kernelGradient(dy: ArrayLike<number>, u: ArrayLike<number>, B: number, H: number, L: number, Lk: number, n: number): Float32Array {
  const f = plan(n);
  const z = new Float64Array(2 * n), Z = new Float64Array(2 * n), acc = new Float64Array(2 * n), w = new Float64Array(2 * n);
  const out = new Float32Array(H * Lk);
  for (let h = 0; h < H; h++) {
    acc.fill(0);
    for (let b = 0; b < B; b++) {
      const off = (b * H + h) * L;
      z.fill(0);
      for (let i = 0; i < L; i++) {
        z[2 * i] = dy[off + i];
        z[2 * i + 1] = u[off + i];
      }
      f.transform(Z, z);
      for (let k = 0; k < n; k++) {
        const m = (n - k) % n;
        const zr = Z[2 * k], zi = Z[2 * k + 1], cr = Z[2 * m], ci = -Z[2 * m + 1]; // conj Z[n−k]
        const ar = (zr + cr) / 2, ai = (zi + ci) / 2; // D̂Y[k]
        const br = (zi - ci) / 2, bi = -(zr - cr) / 2; // Û[k] = (Z − conj Z[n−k])/(2i)
        // acc += D̂Y · conj(Û)
        acc[2 * k] += ar * br + ai * bi;
        acc[2 * k + 1] += ai * br - ar * bi;
      }
    }
    f.inverseTransform(w, acc);
    for (let j = 0; j < Lk; j++) out[h * Lk + j] = w[2 * j];
  }
  return out;
}
