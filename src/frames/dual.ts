// Truncated dual frame: Pinv = V_r diag(1/s_r) U_rᵀ (G × N_f), the authors' D = Pinvᵀ
// (walrus-math §3.3 step 3; rank-N truncation of §4.4).
//
// Porting note: echbaba/walrus `SSM_Builder.completeFrame` uses np.linalg.pinv(F, rcond=0.01). That is our
// `{ rcond: 0.01 }`; `{ rank: N }` is the reference's rank-N truncation (walrus-math §4.4, §11).
import { Matrix } from "ml-matrix";
import { ParameterError, requireFinite } from "../errors.js";
import { topSvdByGram, topSvdFull, truncationRank, type GramSpectrum, type TopSVD } from "../linalg/svd.js";

export interface DualOptions {
  /** Keep exactly this many leading singular triplets (rank-N truncation). Overrides rcond. */
  rank?: number;
  /** Without `rank`: keep s_i > rcond·s_1. Default 0.01 (the authors' pinv rcond). */
  rcond?: number;
  /** "gram" (default): eig of F Fᵀ, fast; "svd": ml-matrix full SVD (slow reference). */
  method?: "gram" | "svd";
  /** A gramSpectrum of the same rows to reuse (method "gram" only). */
  spectrum?: GramSpectrum;
}

export interface TruncatedDual {
  /** Kept rank r. */
  rank: number;
  /** N_f × r. */
  Ur: Matrix;
  /** r singular values, descending. */
  s: Float64Array;
  /** G × r. */
  Vr: Matrix;
  /**
   * G × N_f, Pinv = V_r diag(1/s_r) U_rᵀ; dual functions on the grid are φ̃_k(x_j) = G·Pinv[j, k].
   * Formed on first access: the builds only need W and U_r, and Pinv costs a G × r × N_f product.
   */
  readonly Pinv: Matrix;
  /** G × r, W = V_r diag(1/s_r): the reconstruction map of the reduced state z = U_rᵀ c (u ≈ G·W z). */
  W: Matrix;
  /** All singular values of F, descending. */
  singularValues: Float64Array;
}

/** Natural rank #{s_i > rcond·s_1} of a descending spectrum (the authors' pinv rule). */
export function naturalRank(singularValues: Float64Array, rcond = 0.01): number {
  return truncationRank(singularValues, { rcond });
}

/** Truncated dual of a sampled frame given as rows (N_f × G, N_f ≤ G). */
export function truncatedDual(rows: readonly Float64Array[], opts: DualOptions = {}): TruncatedDual {
  if (opts.rcond !== undefined) requireFinite("rcond", opts.rcond, { min: 0, max: 1, exclusiveMin: true });
  const method = opts.method ?? "gram";
  if (method !== "gram" && method !== "svd") throw new ParameterError("method", '"gram" or "svd"', method);
  const select = (sAll: Float64Array) => truncationRank(sAll, { rank: opts.rank, rcond: opts.rcond });
  const t: TopSVD = method === "gram" ? topSvdByGram(rows, select, opts.spectrum) : topSvdFull(new Matrix(rows as Float64Array[]), select);
  const r = t.s.length;
  const G = t.V.rows;
  const Nf = t.U.rows;
  const W = new Matrix(G, r);
  for (let j = 0; j < G; j++) for (let c = 0; c < r; c++) W.set(j, c, t.V.get(j, c) / t.s[c]);
  if (t.U.columns !== r || t.U.rows !== Nf) throw new Error("truncatedDual: shape mismatch");
  let Pinv: Matrix | undefined;
  return {
    rank: r, Ur: t.U, s: t.s, Vr: t.V, W, singularValues: t.sAll,
    get Pinv() {
      return (Pinv ??= W.mmul(t.U.transpose()));
    },
  };
}
