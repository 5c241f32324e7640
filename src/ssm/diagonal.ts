// Diagonalization of a dense SSM into the one-representative-per-conjugate-pair form (types.ts).
// walrus-math §7 ("Diagonal form", "Absorbing B"). For WaLRUS this is step 1 of W4S4's recipe after
// the Theorem-1 reduction has already removed the unit modes (src/ssm/walrus.ts, §5.1).
import { Matrix, inverse } from "ml-matrix";
import { eigGeneral } from "../linalg/eig.js";
import { cond2Complex } from "../linalg/cond.js";
import type { CVec, DenseSSM, DiagonalSSM } from "./types.js";

export interface DiagonalizeOptions {
  /**
   * Scale each eigenvector so that B̃_n = 1; C then carries the residues C̃_n·B̃_n of C(sI − A)⁻¹B,
   * which are basis invariant (S4D and W4S4 learn C with B ≡ 1). Default true.
   */
  absorbB?: boolean;
  /** Readout in the original basis used for C; default Bᵀ (the invariant reference readout). */
  C?: Float64Array;
}

/** Complex inverse of V = Vr + i·Vi through the real embedding [[Vr, −Vi], [Vi, Vr]]. */
export function complexInverse(Vr: Matrix, Vi: Matrix): { re: Matrix; im: Matrix } {
  const n = Vr.rows;
  const E = new Matrix(2 * n, 2 * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      E.set(i, j, Vr.get(i, j));
      E.set(i, j + n, -Vi.get(i, j));
      E.set(i + n, j, Vi.get(i, j));
      E.set(i + n, j + n, Vr.get(i, j));
    }
  const Einv = inverse(E);
  return { re: Einv.subMatrix(0, n - 1, 0, n - 1), im: Einv.subMatrix(n, 2 * n - 1, 0, n - 1) };
}

/** Sort permutation by imaginary part, then real part (the CLI and registry order). */
export function sortModes(re: ArrayLike<number>, im: ArrayLike<number>): number[] {
  return Array.from({ length: re.length }, (_, i) => i).sort((a, b) => im[a] - im[b] || re[a] - re[b]);
}

export function diagonalize(ssm: DenseSSM, opts: DiagonalizeOptions = {}): DiagonalSSM {
  const N = ssm.N;
  const absorbB = opts.absorbB ?? true;
  const Cfull = opts.C ?? ssm.B;
  const { re, im, Vre, Vim } = eigGeneral(ssm.A);
  const inv = complexInverse(Vre, Vim);
  // B̃ = V⁻¹B and C̃ = C·V for every eigenvalue (conjugates included, to keep only representatives).
  const Bt: CVec = { re: new Float64Array(N), im: new Float64Array(N) };
  const Ct: CVec = { re: new Float64Array(N), im: new Float64Array(N) };
  for (let k = 0; k < N; k++) {
    let br = 0, bi = 0, cr = 0, ci = 0;
    for (let i = 0; i < N; i++) {
      br += inv.re.get(k, i) * ssm.B[i];
      bi += inv.im.get(k, i) * ssm.B[i];
      cr += Cfull[i] * Vre.get(i, k);
      ci += Cfull[i] * Vim.get(i, k);
    }
    Bt.re[k] = br; Bt.im[k] = bi; Ct.re[k] = cr; Ct.im[k] = ci;
  }
  // Representatives: Im > 0 (weight 2) and real eigenvalues (weight 1). ml-matrix returns exact zeros
  // for the imaginary part of real eigenvalues (1×1 Schur blocks).
  const keep: number[] = [];
  for (let k = 0; k < N; k++) if (im[k] >= 0) keep.push(k);
  const order = sortModes(keep.map((k) => re[k]), keep.map((k) => im[k])).map((i) => keep[i]);
  const M = order.length;
  const out: DiagonalSSM = {
    name: ssm.name,
    N,
    lambda: { re: new Float64Array(M), im: new Float64Array(M) },
    B: { re: new Float64Array(M), im: new Float64Array(M) },
    C: { re: new Float64Array(M), im: new Float64Array(M) },
    weight: new Float64Array(M),
    condV: cond2Complex(Vre, Vim),
    meta: { ...(ssm.meta ?? {}), diagonalizedFrom: "dense", absorbB },
  };
  order.forEach((k, m) => {
    out.lambda.re[m] = re[k];
    out.lambda.im[m] = im[k];
    out.weight[m] = im[k] > 0 ? 2 : 1;
    if (absorbB) {
      out.B.re[m] = 1;
      out.C!.re[m] = Ct.re[k] * Bt.re[k] - Ct.im[k] * Bt.im[k];
      out.C!.im[m] = Ct.re[k] * Bt.im[k] + Ct.im[k] * Bt.re[k];
    } else {
      out.B.re[m] = Bt.re[k]; out.B.im[m] = Bt.im[k];
      out.C!.re[m] = Ct.re[k]; out.C!.im[m] = Ct.im[k];
    }
  });
  return out;
}

/**
 * The real block-diagonal dense form of a diagonal SSM: a pair representative λ = a + ib with input
 * coefficient B̃ becomes the block [[a, −b], [b, a]] on the state (Re x, Im x) with B = (Re B̃, Im B̃);
 * a real mode of weight 1 is one state, of weight 2 two identical states. Same eigenvalues, and the
 * readout C_dense = (2 Re C, −2 Im C) per pair reproduces Re Σ w C x.
 */
export function realBlockForm(d: DiagonalSSM): { A: Matrix; B: Float64Array; C: Float64Array } {
  const A = new Matrix(d.N, d.N);
  const B = new Float64Array(d.N);
  const C = new Float64Array(d.N);
  let s = 0;
  for (let m = 0; m < d.lambda.re.length; m++) {
    const a = d.lambda.re[m], b = d.lambda.im[m];
    const cr = d.C?.re[m] ?? 0, ci = d.C?.im[m] ?? 0;
    if (d.weight[m] === 2) {
      A.set(s, s, a); A.set(s, s + 1, -b); A.set(s + 1, s, b); A.set(s + 1, s + 1, a);
      B[s] = d.B.re[m]; B[s + 1] = d.B.im[m];
      C[s] = 2 * cr; C[s + 1] = -2 * ci;
      s += 2;
    } else {
      A.set(s, s, a);
      B[s] = d.B.re[m];
      C[s] = cr;
      s += 1;
    }
  }
  if (s !== d.N) throw new Error(`realBlockForm: weights sum to ${s}, expected N = ${d.N}`);
  return { A, B, C };
}

/** All N eigenvalues (conjugates expanded), sorted by imaginary part then real part. */
export function allEigenvalues(d: DiagonalSSM): [number, number][] {
  const out: [number, number][] = [];
  for (let m = 0; m < d.lambda.re.length; m++) {
    const a = d.lambda.re[m], b = d.lambda.im[m];
    out.push([a, b]);
    if (d.weight[m] === 2) out.push([a, -b]);
  }
  return out.sort((x, y) => x[1] - y[1] || x[0] - y[0]);
}
