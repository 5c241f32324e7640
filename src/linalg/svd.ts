// Truncated SVD of a wide sampled frame F (m × n, m = N_f ≤ n = G): the full ml-matrix SVD (the slow
// truth) and the Gram route used in production, with a test that they agree (test/frames-dual.test.ts).
//
// Why a Gram route: ml-matrix's SVD of the 416 × 2048 WaLRUS-64 frame took 5.2 s on the 2-core dev machine,
// against 0.95 s for the whole Gram route (F Fᵀ, its symmetric eigendecomposition, V_r and Pinv; measured
// with truncatedDual on waveletFrame({ sMin: 0 })). Accuracy: eig(F Fᵀ) gives λ_i = s_i² with absolute
// error O(ε λ_1), so s_i has relative error O(ε (s_1/s_i)²) — ≤ 1e-11 for every kept triplet, since we keep only s_i ≥
// 0.01 s_1 (rcond rule) or the top N of a frame whose natural rank is ≥ N. The kept left subspace has error
// O(ε λ_1 / (λ_r − λ_{r+1})); WaLRUS frames have s_r/s_{r+1} ≥ 1.37 (walrus-math §4.4), i.e. a relative
// eigen-gap (λ_r − λ_{r+1})/λ_r ≥ 1 − 1/1.37² ≈ 0.47. Individual vectors inside the near-degenerate plateau are not reproducible by
// either route, only the subspace is (walrus-math §4.4), so tests compare projectors, not columns.
import { EigenvalueDecomposition, Matrix, SVD } from "ml-matrix";
import { ParameterError } from "../errors.js";

export interface TopSVD {
  /** m × r, orthonormal columns; each column's largest-|entry| component made positive. */
  U: Matrix;
  /** r largest singular values, descending. */
  s: Float64Array;
  /** n × r, V = Fᵀ U diag(1/s). */
  V: Matrix;
  /** All min(m, n) singular values, descending (from the same decomposition). */
  sAll: Float64Array;
}

/** Rows-as-Float64Array view of a Matrix (copies). */
export function matrixRows(A: Matrix): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < A.rows; i++) out.push(Float64Array.from(A.getRow(i)));
  return out;
}

/** Gram matrix F Fᵀ of row vectors, the plain way (the reference gramRows is tested against, bit for bit). */
export function gramRowsNaive(rows: readonly Float64Array[]): Matrix {
  const m = rows.length;
  const Gm = new Matrix(m, m);
  for (let a = 0; a < m; a++) {
    const ra = rows[a];
    for (let b = 0; b <= a; b++) {
      const rb = rows[b];
      let s = 0;
      for (let j = 0; j < ra.length; j++) s += ra[j] * rb[j];
      Gm.set(a, b, s);
      Gm.set(b, a, s);
    }
  }
  return Gm;
}

/**
 * First and last index of each row's non-zero entries (lo > hi for an all-zero row). Sums restricted to
 * [lo, hi] skip only exact zeros (s + 0·x = s for finite x), so they equal the full sums bit for bit.
 */
export function supportSpans(rows: readonly Float64Array[]): { lo: Int32Array; hi: Int32Array } {
  const m = rows.length;
  const lo = new Int32Array(m), hi = new Int32Array(m);
  for (let a = 0; a < m; a++) {
    const r = rows[a];
    let i = 0, k = r.length - 1;
    while (i <= k && r[i] === 0) i++;
    while (k >= i && r[k] === 0) k--;
    lo[a] = i;
    hi[a] = k;
  }
  return { lo, hi };
}

/** Entries of a Gram matrix already computed from some of the same rows: row a is row index[a] there, or −1. */
export interface GramReuse {
  index: Int32Array;
  gram: Matrix;
}

/**
 * Gram matrix F Fᵀ of finite row vectors, equal bit for bit to gramRowsNaive, ≈ 3× faster. Each entry
 * is still one accumulator summed in increasing j, but (1) only over the span where both rows can be
 * non-zero (the terms skipped are exact zeros, and s + 0 = s), and (2) a pair of rows against a pair
 * per pass, so each value loaded serves two dot products. `reuse` copies the 2 × 2 blocks whose
 * entries all exist in an earlier Gram (a WaLRUS frame shares most rows with the next finer one).
 */
export function gramRows(rows: readonly Float64Array[], reuse?: GramReuse): Matrix {
  const m = rows.length;
  const { lo, hi } = supportSpans(rows);
  const old = reuse?.gram, at = reuse?.index;
  const Gm = new Matrix(m, m);
  const put = (a: number, b: number, v: number) => {
    Gm.set(a, b, v);
    Gm.set(b, a, v);
  };
  for (let a0 = 0; a0 < m; a0 += 2) {
    const a1 = Math.min(a0 + 1, m - 1); // odd m: the last block row repeats its row
    const r0 = rows[a0], r1 = rows[a1];
    for (let b0 = 0; b0 <= a0; b0 += 2) {
      const b1 = Math.min(b0 + 1, m - 1);
      if (old && at![a0] >= 0 && at![a1] >= 0 && at![b0] >= 0 && at![b1] >= 0) {
        put(a0, b0, old.get(at![a0], at![b0]));
        put(a0, b1, old.get(at![a0], at![b1]));
        put(a1, b0, old.get(at![a1], at![b0]));
        put(a1, b1, old.get(at![a1], at![b1]));
        continue;
      }
      const q0 = rows[b0], q1 = rows[b1];
      const jLo = Math.max(Math.min(lo[a0], lo[a1]), Math.min(lo[b0], lo[b1]));
      const jHi = Math.min(Math.max(hi[a0], hi[a1]), Math.max(hi[b0], hi[b1]));
      let s00 = 0, s01 = 0, s10 = 0, s11 = 0;
      for (let j = jLo; j <= jHi; j++) {
        const x0 = r0[j], x1 = r1[j], y0 = q0[j], y1 = q1[j];
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      put(a0, b0, s00);
      put(a0, b1, s01);
      put(a1, b0, s10);
      put(a1, b1, s11);
    }
  }
  return Gm;
}

/** How many leading singular values to keep: `rank` if given, else #{s_i > rcond·s_1}. */
export function truncationRank(sAll: Float64Array, opts: { rank?: number; rcond?: number }): number {
  if (opts.rank !== undefined) {
    if (!Number.isInteger(opts.rank) || opts.rank < 1 || opts.rank > sAll.length) {
      throw new ParameterError("rank", `an integer in [1, ${sAll.length}]`, opts.rank);
    }
    return opts.rank;
  }
  const rcond = opts.rcond ?? 0.01;
  let r = 0;
  for (let i = 0; i < sAll.length; i++) if (sAll[i] > rcond * sAll[0]) r++;
  return r;
}

function fixSigns(U: Matrix, V: Matrix | null): void {
  for (let c = 0; c < U.columns; c++) {
    let best = 0;
    for (let i = 0; i < U.rows; i++) if (Math.abs(U.get(i, c)) > Math.abs(U.get(best, c))) best = i;
    if (U.get(best, c) < 0) {
      for (let i = 0; i < U.rows; i++) U.set(i, c, -U.get(i, c));
      if (V) for (let i = 0; i < V.rows; i++) V.set(i, c, -V.get(i, c));
    }
  }
}

/** V = Fᵀ U diag(1/s) for row-stored F. */
function rightVectors(rows: readonly Float64Array[], U: Matrix, s: Float64Array): Matrix {
  const n = rows[0].length;
  const r = s.length;
  // Row-outer order reads F once (N_f × G is megabytes) while the r accumulators stay in cache; each
  // acc[c][j] still sums over i in increasing order, so the result is bit-identical to column-outer.
  // Only each row's support span is visited: the terms skipped add u·0 = ±0, which changes no sum.
  const acc = Array.from({ length: r }, () => new Float64Array(n));
  const { lo, hi } = supportSpans(rows);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    const j0 = lo[i], j1 = hi[i];
    for (let c = 0; c < r; c++) {
      const u = U.get(i, c);
      if (u === 0) continue;
      const a = acc[c];
      for (let j = j0; j <= j1; j++) a[j] += u * row[j];
    }
  }
  const V = new Matrix(n, r);
  for (let c = 0; c < r; c++) {
    const inv = 1 / s[c], a = acc[c];
    for (let j = 0; j < n; j++) V.set(j, c, a[j] * inv);
  }
  return V;
}

/** Full eigendecomposition of F Fᵀ, sorted: s_i = √λ_i descending, U's columns the matching eigenvectors. */
export interface GramSpectrum {
  /** All m singular values of F (m ≤ n), descending. */
  sAll: Float64Array;
  /** m × m orthogonal, column i belongs to sAll[i]; each column's largest-|entry| component positive. */
  U: Matrix;
}

/** Singular values and left singular vectors of a wide row-stored F through eig(F Fᵀ) (ml-matrix). */
export function gramSpectrum(rows: readonly Float64Array[]): GramSpectrum {
  const m = rows.length;
  if (m < 1) throw new ParameterError("rows", "a non-empty list of equal-length rows", m);
  const n = rows[0].length;
  if (m > n) throw new ParameterError("rows", `at most as many rows as columns (${n})`, m);
  return spectrumOfGram(gramRows(rows));
}

/** gramSpectrum from the Gram matrix itself (m × m, symmetric positive semi-definite). */
export function spectrumOfGram(gram: Matrix): GramSpectrum {
  const m = gram.rows;
  const eig = new EigenvalueDecomposition(gram, { assumeSymmetric: true });
  const lam = eig.realEigenvalues;
  const order = Array.from(lam.keys()).sort((a, b) => lam[b] - lam[a]);
  const sAll = Float64Array.from(order, (i) => Math.sqrt(Math.max(0, lam[i])));
  const Vecs = eig.eigenvectorMatrix;
  const U = new Matrix(m, m);
  for (let c = 0; c < m; c++) for (let i = 0; i < m; i++) U.set(i, c, Vecs.get(i, order[c]));
  fixSigns(U, null);
  return { sAll, U };
}

/**
 * Top-r SVD of a wide row-stored matrix (m ≤ n) through the symmetric eigendecomposition of F Fᵀ
 * (ml-matrix). `select` picks r from the full descending singular spectrum; pass `spectrum` to reuse a
 * previous gramSpectrum of the same rows.
 */
export function topSvdByGram(
  rows: readonly Float64Array[],
  select: (sAll: Float64Array) => number,
  spectrum?: GramSpectrum,
): TopSVD {
  const sp = spectrum ?? gramSpectrum(rows);
  const r = select(sp.sAll);
  const U = sp.U.subMatrix(0, sp.U.rows - 1, 0, r - 1);
  const s = sp.sAll.slice(0, r);
  return { U, s, V: rightVectors(rows, U, s), sAll: sp.sAll };
}

/** The same through ml-matrix's full SVD (slow; the reference the Gram route is tested against). */
export function topSvdFull(F: Matrix, select: (sAll: Float64Array) => number): TopSVD {
  // ml-matrix wants rows ≥ columns; decompose Fᵀ = V S Uᵀ.
  const svd = new SVD(F.transpose(), { autoTranspose: true });
  const sv = svd.diagonal;
  const order = Array.from(sv.keys()).sort((a, b) => sv[b] - sv[a]);
  const sAll = Float64Array.from(order, (i) => sv[i]);
  const r = select(sAll);
  const Uf = svd.rightSingularVectors; // columns of U (m × k)
  const Vf = svd.leftSingularVectors; // columns of V (n × k)
  const U = new Matrix(F.rows, r);
  const V = new Matrix(F.columns, r);
  for (let c = 0; c < r; c++) {
    for (let i = 0; i < F.rows; i++) U.set(i, c, Uf.get(i, order[c]));
    for (let j = 0; j < F.columns; j++) V.set(j, c, Vf.get(j, order[c]));
  }
  fixSigns(U, V);
  return { U, s: sAll.slice(0, r), V, sAll };
}
