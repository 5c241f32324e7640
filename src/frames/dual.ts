// Truncated dual frame in the quadrature's inner product (walrus-math §3.3 step 3, §3.5; rank-N truncation
// of §4.4). With F̂ = F·diag(√w) = U S V̂ᵀ, the dual functions on the grid are φ̃ = diag(1/√w) V̂_r S_r⁻¹ U_rᵀ:
// then Σ_j w_j φ_n(x_j) φ̃_k(x_j) = (U_r U_rᵀ)_{nk}, the discrete form of ⟨φ_n, φ̃_k⟩ = projector.
//
// Porting note: echbaba/walrus `SSM_Builder.completeFrame` uses np.linalg.pinv(F, rcond=0.01) on x = arange(G)/G.
// That is our "left-point" quadrature (w_j = 1/G) with `{ rcond: 0.01 }`, whose dual is G·pinv(F)ᵀ; `{ rank: N }`
// is the reference's rank-N truncation (walrus-math §4.4, §11).
import { Matrix } from "ml-matrix";
import { ParameterError, requireFinite } from "../errors.js";
import { topSvdByGram, topSvdFull, truncationRank, type GramSpectrum, type TopSVD } from "../linalg/svd.js";
import { weightedRows, type Quadrature } from "./quadrature.js";

export interface DualOptions {
  /** Keep exactly this many leading singular triplets (rank-N truncation). Overrides rcond. */
  rank?: number;
  /** Without `rank`: keep s_i > rcond·s_1. Default 0.01 (the authors' pinv rcond). */
  rcond?: number;
  /** "gram" (default): eig of F̂ F̂ᵀ, fast; "svd": ml-matrix full SVD (slow reference). */
  method?: "gram" | "svd";
  /** A gramSpectrum of the same weighted rows F̂ to reuse (method "gram" only). */
  spectrum?: GramSpectrum;
}

export interface TruncatedDual {
  /** Kept rank r. */
  rank: number;
  /** N_f × r. */
  Ur: Matrix;
  /** r singular values of F̂, descending (grid-independent: F̂ F̂ᵀ is the frame's Gram matrix). */
  s: Float64Array;
  /** samples × r, the right singular vectors V̂_r of F̂ (orthonormal columns). */
  Vr: Matrix;
  /**
   * samples × r reconstruction map of the reduced state z = U_rᵀ c: u(x_j) ≈ (W z)_j, i.e.
   * W = diag(1/√w) V̂_r S_r⁻¹. With the left-point rule it is G·V_r S_r⁻¹ of the unweighted F.
   */
  W: Matrix;
  /**
   * samples × N_f, the dual frame on the grid: D[j, k] = φ̃_k(x_j) = (W U_rᵀ)[j, k] (the authors' G·pinv(F)
   * with the left-point rule). Formed on first access: the builds only need W and U_r.
   */
  readonly dualFrame: Matrix;
  /** All singular values of F̂, descending. */
  singularValues: Float64Array;
  quadrature: Quadrature;
}

/** Natural rank #{s_i > rcond·s_1} of a descending spectrum (the authors' pinv rule). */
export function naturalRank(singularValues: Float64Array, rcond = 0.01): number {
  return truncationRank(singularValues, { rcond });
}

/** Truncated dual of a frame sampled on q's grid, given as rows (N_f × samples, N_f ≤ samples). */
export function truncatedDual(rows: readonly Float64Array[], q: Quadrature, opts: DualOptions = {}): TruncatedDual {
  if (opts.rcond !== undefined) requireFinite("rcond", opts.rcond, { min: 0, max: 1, exclusiveMin: true });
  const method = opts.method ?? "gram";
  if (method !== "gram" && method !== "svd") throw new ParameterError("method", '"gram" or "svd"', method);
  const select = (sAll: Float64Array) => truncationRank(sAll, { rank: opts.rank, rcond: opts.rcond });
  const Fh = weightedRows(rows, q);
  const t: TopSVD = method === "gram" ? topSvdByGram(Fh, select, opts.spectrum) : topSvdFull(new Matrix(Fh), select);
  const r = t.s.length;
  const n = t.V.rows;
  const Nf = t.U.rows;
  if (t.U.columns !== r || Nf !== rows.length) throw new Error("truncatedDual: shape mismatch");
  const W = new Matrix(n, r);
  for (let j = 0; j < n; j++) {
    const isw = 1 / Math.sqrt(q.w[j]);
    for (let c = 0; c < r; c++) W.set(j, c, (t.V.get(j, c) / t.s[c]) * isw);
  }
  let D: Matrix | undefined;
  return {
    rank: r, Ur: t.U, s: t.s, Vr: t.V, W, singularValues: t.sAll, quadrature: q,
    get dualFrame() {
      return (D ??= W.mmul(t.U.transpose()));
    },
  };
}
