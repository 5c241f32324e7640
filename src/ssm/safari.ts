// SaFARi: a state-space model (A, B) from any sampled frame (walrus-math §3.1–§3.3), S4 sign A = −A_pos.
//
// Porting note: follows echbaba/walrus `SSM_Builder.safari()`, with every integral a quadrature sum Σ_j w_j:
//   scaled:     A_pos = I + Υ,  Υ_nk = Σ_j w_j x_j φ_n'(x_j) φ̃_k(x_j)          (walrus-math §3.1, §3.3 step 4)
//   translated: A_pos = φ(0) φ̃(0)ᵀ + Ψ,  Ψ_nk = Σ_j w_j φ_n'(x_j) φ̃_k(x_j)     (walrus-math §3.2)
// The "left-point" quadrature is the authors' (1/G)·Σ_{j<G}; the default "gregory" one is not (§3.5, §11).
// Two more deviations fixed by walrus-math §11: B = φ(1) evaluated exactly at x = 1 (the authors take the
// last grid column, x = 1 − 1/G), and the dual may be truncated to a given rank instead of rcond.
// Both sums are formed as (dF diag(w·x) W) U_rᵀ with the reduced dual map W, never through the N_f-wide dual.
import { Matrix } from "ml-matrix";
import { ParameterError, requireOneOf } from "../errors.js";
import { frameDerivative } from "../frames/derivative.js";
import type { Quadrature } from "../frames/quadrature.js";
import { truncatedDual, type DualOptions, type TruncatedDual } from "../frames/dual.js";
import { supportSpans } from "../linalg/svd.js";
import type { DenseSSM } from "./types.js";

export type Measure = "scaled" | "translated";
export const MEASURES: readonly Measure[] = ["scaled", "translated"];

/** A frame sampled on a quadrature's grid, plus its exact values at x = 1. */
export interface SampledFrame {
  /** N_f rows, one value per quadrature point. */
  rows: readonly Float64Array[];
  /** The grid and weights every integral uses (walrus-math §3.5). */
  quadrature: Quadrature;
  /** φ_n(1), n = 0..N_f−1 (B of walrus-math §3.3 step 5). */
  atOne: Float64Array;
}

export interface SafariOptions extends DualOptions {
  /** "scaled" (LegS-like, default) or "translated" (LegT-like, window θ = 1). */
  measure?: Measure;
  /** A precomputed truncated dual of the same rows (skips the SVD). */
  dual?: TruncatedDual;
}

export interface SafariSSM extends DenseSSM {
  dual: TruncatedDual;
  measure: Measure;
}

/** rows (m × G) · P (G × r), optionally weighting column j of rows by w[j]. */
export function rowsTimes(rows: readonly Float64Array[], P: Matrix, w?: Float64Array): Matrix {
  const m = rows.length;
  const G = P.rows;
  const r = P.columns;
  const cols: Float64Array[] = [];
  for (let c = 0; c < r; c++) {
    const col = Float64Array.from(P.getColumn(c));
    if (w) for (let j = 0; j < G; j++) col[j] *= w[j];
    cols.push(col);
  }
  const out = new Matrix(m, r);
  // Four columns per pass share each row load and run four independent sums (instruction-level
  // parallelism); every sum still runs over j in increasing order, and only over the row's support span
  // (the skipped terms are exact zeros), so results are bit-identical to the plain loop.
  const { lo, hi } = supportSpans(rows);
  for (let i = 0; i < m; i++) {
    const row = rows[i];
    const j0 = lo[i], j1 = hi[i];
    let c = 0;
    for (; c + 4 <= r; c += 4) {
      const c0 = cols[c], c1 = cols[c + 1], c2 = cols[c + 2], c3 = cols[c + 3];
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let j = j0; j <= j1; j++) {
        const x = row[j];
        s0 += x * c0[j]; s1 += x * c1[j]; s2 += x * c2[j]; s3 += x * c3[j];
      }
      out.set(i, c, s0); out.set(i, c + 1, s1); out.set(i, c + 2, s2); out.set(i, c + 3, s3);
    }
    for (; c < r; c++) {
      const col = cols[c];
      let s0 = 0;
      for (let j = j0; j <= j1; j++) s0 += row[j] * col[j];
      out.set(i, c, s0);
    }
  }
  return out;
}

function checkFrame(frame: SampledFrame): number {
  const Nf = frame.rows.length;
  if (Nf < 1) throw new ParameterError("frame.rows", "a non-empty list of rows", Nf);
  const n = frame.quadrature.x.length;
  for (const r of frame.rows) if (r.length !== n) throw new ParameterError("frame.rows[n].length", `the quadrature's ${n} samples`, r.length);
  if (frame.atOne.length !== Nf) throw new ParameterError("frame.atOne.length", `N_f (${Nf})`, frame.atOne.length);
  return frame.quadrature.G;
}

/**
 * The r × r block of A_pos on range(U_r) (walrus-math §5.1) and the (N_f × r) factor Q with
 * A_pos − I·[scaled] − (rank-one term)·[translated] = Q U_rᵀ. Shared by the full and reduced builds.
 */
function safariFactors(frame: SampledFrame, dual: TruncatedDual, measure: Measure) {
  const G = checkFrame(frame);
  const q = frame.quadrature;
  if (dual.quadrature.rule !== q.rule || dual.quadrature.G !== q.G) throw new ParameterError("dual", "a dual built on the frame's own quadrature", `${dual.quadrature.rule} G = ${dual.quadrature.G}`);
  const dF = frameDerivative(frame.rows, q);
  // N_f × r: dF diag(w·x) W (scaled) or dF diag(w) W (translated).
  const Q = rowsTimes(dF, dual.W, measure === "scaled" ? q.w.map((w, j) => w * q.x[j]) : q.w);
  const f0 = Float64Array.from(frame.rows, (r) => r[0]); // φ(0): x_0 = 0 in both rules
  const w0 = Float64Array.from(dual.W.getRow(0)); // φ̃(0)ᵀ = W[0,:] U_rᵀ
  return { Q, f0, w0, G };
}

/** Full SaFARi (A, B) on the N_f-dimensional frame state, S4 sign (A = −A_pos). */
export function safari(frame: SampledFrame, opts: SafariOptions = {}): SafariSSM {
  const measure = requireOneOf("measure", opts.measure ?? "scaled", MEASURES);
  checkFrame(frame);
  const dual = opts.dual ?? truncatedDual(frame.rows, frame.quadrature, opts);
  const { Q, f0, w0, G } = safariFactors(frame, dual, measure);
  const Nf = frame.rows.length;
  const Ut = dual.Ur.transpose();
  const Apos = Q.mmul(Ut);
  if (measure === "scaled") {
    for (let i = 0; i < Nf; i++) Apos.set(i, i, Apos.get(i, i) + 1);
  } else {
    // φ(0) φ̃(0)ᵀ, φ̃(0)ᵀ = W[0,:] U_rᵀ.
    const p0 = new Float64Array(Nf);
    for (let k = 0; k < Nf; k++) {
      let s = 0;
      for (let c = 0; c < dual.rank; c++) s += w0[c] * dual.Ur.get(k, c);
      p0[k] = s;
    }
    for (let i = 0; i < Nf; i++) for (let k = 0; k < Nf; k++) Apos.set(i, k, Apos.get(i, k) + f0[i] * p0[k]);
  }
  return {
    name: measure === "scaled" ? "safari" : "safari-translated",
    N: Nf,
    A: Apos.neg(),
    B: Float64Array.from(frame.atOne),
    measure,
    dual,
    meta: { measure, Nf, G, quadrature: frame.quadrature.rule, rank: dual.rank },
  };
}

/**
 * The Theorem-1 reduced SaFARi system on z = U_rᵀ c (walrus-math §5.1): M = U_rᵀ A_pos U_r,
 * b = U_rᵀ φ(1). Returned in S4 sign: A = −M, B = b. Never forms the N_f × N_f matrix.
 */
export function safariReduced(frame: SampledFrame, dual: TruncatedDual, measure: Measure = "scaled"): { A: Matrix; B: Float64Array } {
  requireOneOf("measure", measure, MEASURES);
  const { Q, f0, w0 } = safariFactors(frame, dual, measure);
  const Ut = dual.Ur.transpose();
  const M = Ut.mmul(Q);
  const r = dual.rank;
  if (measure === "scaled") {
    for (let i = 0; i < r; i++) M.set(i, i, M.get(i, i) + 1);
  } else {
    const uf0 = Ut.mmul(Matrix.columnVector(Array.from(f0)));
    for (let i = 0; i < r; i++) for (let c = 0; c < r; c++) M.set(i, c, M.get(i, c) + uf0.get(i, 0) * w0[c]);
  }
  const b = Ut.mmul(Matrix.columnVector(Array.from(frame.atOne))).getColumn(0);
  return { A: M.neg(), B: Float64Array.from(b) };
}
