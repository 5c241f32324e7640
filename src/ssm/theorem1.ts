// W4S4 Theorem 1 check (walrus-math §5): the full N_f-dimensional SaFARi matrix A_pos has the unit
// eigenvalue (translated: 0) N_f − r times, its eigenvectors are invisible to the dual reconstruction, and
// the other r eigenvalues are those of the reduced M = U_rᵀ A_pos U_r. Numbers are in SaFARi sign
// (A_pos = −A), as in the table of walrus-math §5.2.
//
// Porting note: echbaba/walrus `SSM_Solver.diagonalize()` counts eff_rank = 1 + #{|λ| > 1.000001} and keeps
// the first eff_rank eigenvalues in LAPACK order; here the unit modes are counted with an explicit tolerance
// and the reduced system is selected by subspace (walrus-math §5.2 "Caveat").
import { Matrix } from "ml-matrix";
import { eigGeneral } from "../linalg/eig.js";
import { constructionStep } from "../io/progress.js";
import { cond2Complex } from "../linalg/cond.js";
import { innerProduct } from "../frames/quadrature.js";
import { safari } from "./safari.js";
import { walrusParts, type WalrusOptions } from "./walrus.js";
import type { CVec } from "./types.js";

/** |λ − 1| below this counts as a unit eigenvalue (scaled measure). */
export const UNIT_TOL_SCALED = 1e-8;
/** |λ| below this counts as the trivial eigenvalue 0 (translated measure, as in the authors' diagonalize()). */
export const UNIT_TOL_TRANSLATED = 1e-7;

export interface Theorem1Report {
  /** Frame size N_f (rows of the full A_pos). */
  Nf: number;
  /** Natural rank #{s_i > 0.01 s_1} of the frame. */
  naturalRank: number;
  /** Eigenvalues of the full A_pos at the trivial value (1 scaled, 0 translated), within the tolerance. */
  nUnit: number;
  /** N_f − nUnit. Theorem 1 with rank-r truncation predicts r. */
  nNontrivial: number;
  /** min |λ| over the nontrivial eigenvalues of the full A_pos. */
  minAbsNontrivial: number;
  /** max |λ| over all eigenvalues of the full A_pos. */
  maxAbs: number;
  /** 2-norm condition number of the (unit-column) eigenvector matrix of the reduced M. */
  condVReduced: number;
  /** The same for the full A_pos. */
  condVFull: number;
  /**
   * max over the (unit-norm) eigenvectors v of the trivial eigenvalue of ‖Σ_k v_k φ̃_k‖ in L²(0, 1), the norm of
   * what the dual reconstructs from v: ≈ 0 by Theorem 1 (T1b).
   */
  maxUnitVisibility: number;
  /** Truncation rank r (reduced state size). */
  rank: number;
  /** Eigenvalues of the full A_pos (for plotting). */
  eigFull: CVec;
  /** Eigenvalues of M (for plotting). */
  eigReduced: CVec;
}

/** Builds the full and the reduced WaLRUS system of `opts` and measures the Theorem-1 structure. */
export function theorem1Check(opts: WalrusOptions): Theorem1Report {
  const p = walrusParts(opts);
  const { dual, measure, info } = p;
  const full = safari(p.sampled, { measure, dual });
  const Apos = full.A.neg();
  const Ut = dual.Ur.transpose();
  const M = Ut.mmul(Apos).mmul(dual.Ur);

  constructionStep(`eigendecomposition of the full A_pos (${Apos.rows} × ${Apos.rows})`);
  const ef = eigGeneral(Apos);
  constructionStep(`eigendecomposition of the reduced M (${M.rows} × ${M.rows})`);
  const er = eigGeneral(M);
  const Nf = info.Nf;
  const trivial = measure === "scaled" ? 1 : 0;
  const tol = measure === "scaled" ? UNIT_TOL_SCALED : UNIT_TOL_TRANSLATED;

  constructionStep(`Theorem-1 counts and the visibility of the unit eigenvectors`);
  let nUnit = 0;
  let minAbsNontrivial = Infinity;
  let maxAbs = 0;
  let maxUnitVisibility = 0;
  for (let i = 0; i < Nf; i++) {
    const abs = Math.hypot(ef.re[i], ef.im[i]);
    maxAbs = Math.max(maxAbs, abs);
    if (Math.hypot(ef.re[i] - trivial, ef.im[i]) < tol) {
      nUnit++;
      // The reconstruction W U_rᵀ v of v = vr + i·vi (normalised to ‖v‖ = 1), in the quadrature's L² norm.
      const vr = ef.Vre.getColumn(i);
      const vi = ef.Vim.getColumn(i);
      let nv = 0;
      for (let k = 0; k < Nf; k++) nv += vr[k] * vr[k] + vi[k] * vi[k];
      nv = Math.sqrt(nv);
      const zr = Ut.mmul(Matrix.columnVector(vr));
      const zi = Ut.mmul(Matrix.columnVector(vi));
      const pr = dual.W.mmul(zr).getColumn(0), pi = dual.W.mmul(zi).getColumn(0);
      const l2 = innerProduct(dual.quadrature, pr, pr) + innerProduct(dual.quadrature, pi, pi);
      maxUnitVisibility = Math.max(maxUnitVisibility, Math.sqrt(l2) / nv);
    } else {
      minAbsNontrivial = Math.min(minAbsNontrivial, abs);
    }
  }
  constructionStep(`cond(V) of the full and the reduced eigenvector matrices`);
  const condVFull = cond2Complex(ef.Vre, ef.Vim);
  return {
    Nf,
    naturalRank: info.naturalRank,
    nUnit,
    nNontrivial: Nf - nUnit,
    minAbsNontrivial,
    maxAbs,
    condVReduced: cond2Complex(er.Vre, er.Vim),
    condVFull,
    maxUnitVisibility,
    rank: dual.rank,
    eigFull: { re: Float64Array.from(ef.re), im: Float64Array.from(ef.im) },
    eigReduced: { re: Float64Array.from(er.re), im: Float64Array.from(er.im) },
  };
}

/** One Theorem-1 measurement with the options that produced it. */
export interface Theorem1Case {
  N: number;
  /** true: the authors' rcond = 0.01 rank instead of rank-N truncation (walrus-math §5.2 caveat). */
  naturalRank?: boolean;
  report: Theorem1Report;
}
