// Exact dyadic values of the Daubechies scaling function φ and wavelet ψ (walrus-math §4.1
// "Function values"), and their evaluation by linear interpolation in the 2^−J table.
//
// Porting note: the authors sample pywt's cascade (`wavefun`), which converges to these values but sits
// about one sample off at finite level; walrus-math §4.1 (and §11) fixes the exact dyadic table, J = 12.
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { requireInt } from "../errors.js";
import { daubechies, type DaubechiesFilters } from "./daubechies.js";

/** Table level fixed by walrus-math §11. */
export const DYADIC_LEVEL = 12;

export interface DyadicTable {
  filters: DaubechiesFilters;
  /** Level J: samples at x = m/2^J. */
  J: number;
  /** Support end 2K−1; tables cover x ∈ [0, 2K−1] (both functions vanish at the end points' outside). */
  support: number;
  /** φ(m/2^J), m = 0..(2K−1)·2^J. */
  phi: Float64Array;
  /** ψ(m/2^J), same grid. */
  psi: Float64Array;
}

/**
 * φ at the integers 0..2K−1: the eigenvector of T_ij = √2 h_{2i−j} (i, j = 1..2K−2) for eigenvalue 1,
 * normalised to Σ_n φ(n) = 1; φ(0) = φ(2K−1) = 0 (walrus-math §4.1 step 1).
 */
export function scalingAtIntegers(h: Float64Array): Float64Array {
  const L = h.length; // 2K
  const out = new Float64Array(L); // indices 0..2K−1
  const n = L - 2;
  if (n === 0) {
    // db1 (Haar): φ = 1 on [0, 1); its only integer in the open support is none, and the
    // right-continuous convention gives φ(0) = 1, which keeps Σ φ(x − n) = 1 exact.
    out[0] = 1;
    return out;
  }
  const T = new Matrix(n, n);
  for (let i = 1; i <= n; i++) {
    for (let j = 1; j <= n; j++) {
      const k = 2 * i - j;
      if (k >= 0 && k < L) T.set(i - 1, j - 1, Math.SQRT2 * h[k]);
    }
  }
  const eig = new EigenvalueDecomposition(T);
  const re = eig.realEigenvalues;
  const im = eig.imaginaryEigenvalues;
  let best = -1;
  let bestDist = Infinity;
  for (let i = 0; i < n; i++) {
    const d = Math.hypot(re[i] - 1, im[i]);
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  }
  if (bestDist > 1e-8) throw new Error(`scalingAtIntegers: no eigenvalue 1 (closest at distance ${bestDist})`);
  const V = eig.eigenvectorMatrix;
  let s = 0;
  for (let i = 0; i < n; i++) s += V.get(i, best);
  for (let i = 0; i < n; i++) out[i + 1] = V.get(i, best) / s;
  return out;
}

const cache = new Map<string, DyadicTable>();

/**
 * φ and ψ of dbK on the dyadic grid of level J (default 12), cached per (K, J).
 * Refinement φ(x) = √2 Σ_k h_k φ(2x − k) fills level j from level j−1; then ψ(x) = √2 Σ_k g_k φ(2x − k)
 * (walrus-math §4.1 steps 2–3).
 */
export function dyadicTable(K: number, J: number = DYADIC_LEVEL): DyadicTable {
  requireInt("J", J, 1, 16);
  const filters = daubechies(K);
  const key = `${K}:${J}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const h = filters.recLo;
  const g = filters.recHi;
  const L = h.length;
  const support = L - 1;
  const size = support * 2 ** J + 1;
  const phi = new Float64Array(size);
  const ints = scalingAtIntegers(h);
  const full = 2 ** J;
  for (let n = 0; n <= support; n++) phi[n * full] = ints[n];
  // Level j: new points x = m/2^j with m odd. 2x − k = (m − k·2^{j−1})/2^{j−1} is a level-(j−1) point
  // with numerator m' = m − k·2^{j−1}, stored at table index m'·2^{J−j+1}.
  for (let j = 1; j <= J; j++) {
    const stride = 2 ** (J - j); // table index step of level j
    const half = 2 ** (j - 1);
    const maxPrev = support * half;
    for (let m = 1; m < support * 2 ** j; m += 2) {
      let v = 0;
      for (let k = 0; k < L; k++) {
        const mp = m - k * half;
        if (mp < 0 || mp > maxPrev) continue;
        v += h[k] * phi[mp * 2 * stride];
      }
      phi[m * stride] = Math.SQRT2 * v;
    }
  }
  // ψ(x) = √2 Σ_k g_k φ(2x − k) at x = m/2^J: 2x − k has table index 2m − k·2^J.
  const psi = new Float64Array(size);
  for (let m = 0; m < size; m++) {
    let v = 0;
    for (let k = 0; k < L; k++) {
      const idx = 2 * m - k * full;
      if (idx < 0 || idx >= size) continue;
      v += g[k] * phi[idx];
    }
    psi[m] = Math.SQRT2 * v;
  }
  const out: DyadicTable = { filters, J, support, phi, psi };
  cache.set(key, out);
  return out;
}

/**
 * Linear interpolation in a dyadic table at t (table units: t ∈ [0, 2K−1]); 0 outside the support
 * (walrus-math §4.1 step 4).
 */
export function interpolateTable(values: Float64Array, J: number, t: number): number {
  const pos = t * 2 ** J;
  const last = values.length - 1;
  if (!(pos >= 0) || pos > last) return 0;
  const i = Math.floor(pos);
  if (i >= last) return values[last];
  const f = pos - i;
  return values[i] + f * (values[i + 1] - values[i]);
}

/** φ(t) of a table by linear interpolation. */
export function evalPhi(table: DyadicTable, t: number): number {
  return interpolateTable(table.phi, table.J, t);
}

/** ψ(t) of a table by linear interpolation. */
export function evalPsi(table: DyadicTable, t: number): number {
  return interpolateTable(table.psi, table.J, t);
}
