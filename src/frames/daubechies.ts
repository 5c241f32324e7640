// Daubechies dbK filters by minimum-phase spectral factorisation (walrus-math §4.1 "Filter").
//
// Porting note: PyWavelets ships these as tables; the authors (echbaba/walrus, Utils.mother_reader /
// father_reader via pywt.DiscreteContinuousWavelet('dbK')) therefore never compute them. We derive
// them, and test them against the published db2/db4 rec_lo values (walrus-math §4.1 reports agreement
// with pywt's rec_lo/rec_hi to ≤ 2e-14 for db2..db12 with the same recipe).
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { ParameterError, requireInt } from "../errors.js";

/** Largest supported K: beyond ~20 the root finding of P(y) loses digits (coefficients ~ C(2K−2, K−1)). */
export const MAX_DAUBECHIES_K = 20;

export interface DaubechiesFilters {
  /** "dbK". */
  name: string;
  /** Number of vanishing moments; filters have length 2K, φ and ψ have support [0, 2K−1]. */
  K: number;
  /** Low-pass reconstruction filter h (PyWavelets' rec_lo order), Σh = √2, Σ h_k h_{k+2m} = δ_m. */
  recLo: Float64Array;
  /** High-pass reconstruction filter g_k = (−1)^k h_{2K−1−k} (PyWavelets' rec_hi). */
  recHi: Float64Array;
}

/**
 * Parses "dbK" (K = 1..20, case-sensitive, no leading zeros) and returns K.
 * Throws ParameterError naming `param` for anything else ("db0", "db21", "haar2", "sym4").
 */
export function parseWavelet(name: unknown, param = "wavelet"): number {
  const allowed = `"db1" … "db${MAX_DAUBECHIES_K}"`;
  if (typeof name !== "string") throw new ParameterError(param, allowed, name);
  const m = /^db([1-9][0-9]?)$/.exec(name);
  if (!m) throw new ParameterError(param, allowed, name);
  const K = Number(m[1]);
  if (K < 1 || K > MAX_DAUBECHIES_K) throw new ParameterError(param, allowed, name);
  return K;
}

// ---- small complex helpers (local: only the factorisation needs them) ----
type C = [number, number];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cabs = (a: C): number => Math.hypot(a[0], a[1]);
function csqrt(a: C): C {
  const r = cabs(a);
  if (r === 0) return [0, 0];
  const re = Math.sqrt((r + a[0]) / 2);
  const im = Math.sqrt(Math.max(0, (r - a[0]) / 2));
  return [re, a[1] < 0 ? -im : im];
}
function cdiv(a: C, b: C): C {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
}

function binomial(n: number, k: number): number {
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return Math.round(r);
}

/**
 * Roots of the real polynomial Σ c_k y^k (ascending coefficients) as the eigenvalues of its companion
 * matrix (through ml-matrix), each polished by two Newton steps on the polynomial itself.
 */
export function polynomialRoots(c: ArrayLike<number>): C[] {
  const d = c.length - 1;
  if (d < 1) return [];
  const lead = c[d];
  const comp = new Matrix(d, d);
  for (let k = 0; k < d; k++) comp.set(0, k, -c[d - 1 - k] / lead);
  for (let i = 1; i < d; i++) comp.set(i, i - 1, 1);
  const eig = new EigenvalueDecomposition(comp);
  const re = eig.realEigenvalues;
  const im = eig.imaginaryEigenvalues;
  const roots: C[] = [];
  for (let i = 0; i < d; i++) {
    let z: C = [re[i], im[i]];
    for (let it = 0; it < 2; it++) {
      // Horner for p and p'.
      let p: C = [c[d], 0];
      let dp: C = [0, 0];
      for (let k = d - 1; k >= 0; k--) {
        dp = cmul(dp, z);
        dp = [dp[0] + p[0], dp[1] + p[1]];
        p = cmul(p, z);
        p = [p[0] + c[k], p[1]];
      }
      if (cabs(dp) === 0) break;
      const step = cdiv(p, dp);
      const zn: C = [z[0] - step[0], z[1] - step[1]];
      if (!Number.isFinite(zn[0]) || !Number.isFinite(zn[1])) break;
      z = zn;
    }
    roots.push(z);
  }
  return roots;
}

const cache = new Map<number, DaubechiesFilters>();

/** dbK filters (K = 1..20), cached per K. walrus-math §4.1 steps 1–4. */
export function daubechies(K: number): DaubechiesFilters {
  requireInt("K", K, 1, MAX_DAUBECHIES_K);
  const hit = cache.get(K);
  if (hit) return hit;
  // Step 1: P(y) = Σ_{k<K} C(K−1+k, k) y^k, y = sin²(ω/2).
  const P = new Float64Array(K);
  for (let k = 0; k < K; k++) P[k] = binomial(K - 1 + k, k);
  const yRoots = polynomialRoots(P);
  // Ascending complex coefficients of (1+z)^K ∏ (z − z_i).
  let poly: C[] = [[1, 0]];
  const mulLinear = (root: C): void => {
    // (z − root) · poly
    const out: C[] = new Array(poly.length + 1);
    for (let k = 0; k <= poly.length; k++) {
      const hi = k > 0 ? poly[k - 1] : ([0, 0] as C);
      const lo = k < poly.length ? cmul(root, poly[k]) : ([0, 0] as C);
      out[k] = [hi[0] - lo[0], hi[1] - lo[1]];
    }
    poly = out;
  };
  for (let k = 0; k < K; k++) mulLinear([-1, 0]);
  for (const y of yRoots) {
    // Step 2: y = (2 − z − 1/z)/4 ⇔ z² − (2 − 4y) z + 1 = 0; keep the root with |z| ≥ 1.
    const b: C = [2 - 4 * y[0], -4 * y[1]];
    const disc = csqrt([b[0] * b[0] - b[1] * b[1] - 4, 2 * b[0] * b[1]]);
    const z1: C = [(b[0] + disc[0]) / 2, (b[1] + disc[1]) / 2];
    const z2: C = [(b[0] - disc[0]) / 2, (b[1] - disc[1]) / 2];
    mulLinear(cabs(z1) >= cabs(z2) ? z1 : z2);
  }
  // Step 3: real part, Σh = √2. Our coefficients are ascending; numpy's poly is descending, so the
  // "reverse" of §4.1 is already done by storing them ascending: h_k = coefficient of z^k.
  // (Checked against the published db2/db4 rec_lo in test/frames-daubechies.test.ts.)
  const n = 2 * K;
  const h = new Float64Array(n);
  let sum = 0;
  for (let k = 0; k < n; k++) {
    h[k] = poly[k][0];
    sum += h[k];
  }
  const scale = Math.SQRT2 / sum;
  for (let k = 0; k < n; k++) h[k] *= scale;
  // Step 4: g_k = (−1)^k h_{2K−1−k}.
  const g = new Float64Array(n);
  for (let k = 0; k < n; k++) g[k] = (k % 2 === 0 ? 1 : -1) * h[n - 1 - k];
  const out: DaubechiesFilters = { name: `db${K}`, K, recLo: h, recHi: g };
  cache.set(K, out);
  return out;
}
