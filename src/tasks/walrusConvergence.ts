// Grid convergence of WaLRUS (issue 15; walrus-math §4.2): the frame is sampled on G points, and every
// quantity built from it moves with G. Build at G, 2G, 4G, … and report, per doubling, the largest
// relative change of what a user sees — the nontrivial spectrum, cond₂(V), the transfer function
// Bᵀ(sI − A)⁻¹B and the delay-task MSE. All four are invariant under the orthogonal change of basis
// the truncated dual leaves free (walrus-math §4.4), so they compare across grids.
import { Matrix, solve } from "ml-matrix";
import { ParameterError, requireFinite, requireInt } from "../errors.js";
import { cond2Complex } from "../linalg/cond.js";
import { eigGeneral } from "../linalg/eig.js";
import { sortModes } from "../ssm/diagonal.js";
import { clearWalrusCache, walrus, walrusDefaultGrid, type WalrusKnobs, type WalrusSSM } from "../ssm/walrus.js";
import { clearFrameCache } from "../frames/waveletFrame.js";
import { requireStateSize } from "../ssm/registry.js";
import { delayTaskMSE } from "./delay.js";
import type { Progress } from "../io/progress.js";

export interface ConvergenceOptions extends Omit<WalrusKnobs, "grid"> {
  /** State size. Required. */
  N: number;
  /** "scaled" (default) or "translated". */
  measure?: "scaled" | "translated";
  /** First grid. Default max(1024, walrusDefaultGrid(N)/4): below the default grid, but with room for the frame's N_f samples. */
  gridStart?: number;
  /** Largest grid tried (a power-of-two multiple of gridStart). Default 32768; at most 2^20. */
  gridMax?: number;
  /** Stop at the first doubling whose every change is below this. Default 1e-6. */
  tol?: number;
  /** Real points s of the transfer function. Default [1, 10, 100] (around WaLRUS's |λ| range). */
  s?: number[];
  /** The delay task checked at each grid: AR(1), seed 1, L = 2000, D = 500, dt = 10^−2.5 (walrus-math §8.2). */
  delayDt?: number;
  onProgress?: Progress;
}

/** The study's defaults, stated once (the CLI help reads them). */
export const CONVERGENCE_DEFAULTS = { gridMax: 32768, tol: 1e-6 } as const;

/** The study's first grid for state size N (see ConvergenceOptions.gridStart). */
export function defaultGridStart(N: number): number {
  return Math.max(1024, walrusDefaultGrid(N) / 4);
}

export interface ConvergenceRow {
  G: number;
  Nf: number;
  sMin: number;
  /** min and max |λ| of A (S4 sign). */
  minAbs: number;
  maxAbs: number;
  condV: number;
  /** Bᵀ(sI − A)⁻¹B at each s. */
  transfer: number[];
  delayLog10Mse: number;
  seconds: number;
  /** Relative changes against the previous row (undefined on the first). */
  change?: { spectrum: number; condV: number; transfer: number; delay: number; max: number };
}

export interface ConvergenceResult {
  N: number;
  measure: "scaled" | "translated";
  tol: number;
  rows: ConvergenceRow[];
  /** The smallest G within tol of the next doubling, or null when gridMax was reached first. */
  convergedG: number | null;
}

function transfer(ssm: WalrusSSM, s: number): number {
  const M = Matrix.eye(ssm.N, ssm.N).mul(s).sub(ssm.A);
  const x = solve(M, Matrix.columnVector(Array.from(ssm.B)));
  let h = 0;
  for (let i = 0; i < ssm.N; i++) h += ssm.B[i] * x.get(i, 0);
  return h;
}

/** Largest |a_k − b_k| / |b_k| over eigenvalues paired in (Im, Re) order; Infinity if the counts differ. */
function spectrumChange(a: { re: Float64Array; im: Float64Array }, b: { re: Float64Array; im: Float64Array }): number {
  if (a.re.length !== b.re.length) return Infinity;
  const oa = sortModes(a.re, a.im), ob = sortModes(b.re, b.im);
  let m = 0;
  for (let k = 0; k < oa.length; k++) {
    const i = oa[k], j = ob[k];
    m = Math.max(m, Math.hypot(a.re[i] - b.re[j], a.im[i] - b.im[j]) / Math.hypot(b.re[j], b.im[j]));
  }
  return m;
}

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

/** Build WaLRUS at gridStart·2^k until successive builds agree to tol (or gridMax), with the table. */
export function walrusGridConvergence(o: ConvergenceOptions): ConvergenceResult {
  const d = CONVERGENCE_DEFAULTS;
  const measure = o.measure ?? "scaled";
  if (measure !== "scaled" && measure !== "translated") throw new ParameterError("measure", '"scaled" or "translated"', measure);
  const N = requireStateSize(measure === "scaled" ? "walrus" : "walrus-translated", o.N);
  const start = requireInt("gridStart", o.gridStart ?? defaultGridStart(N), 16, 1 << 20);
  const max = requireInt("gridMax", o.gridMax ?? d.gridMax, start, 1 << 20);
  const tol = requireFinite("tol", o.tol ?? d.tol, { min: 0, exclusiveMin: true, max: 1 });
  const sPts = (o.s ?? [1, 10, 100]).map((v, i) => requireFinite(`s[${i}]`, v, { min: 0, exclusiveMin: true }));
  const dt = requireFinite("delayDt", o.delayDt ?? 10 ** -2.5, { min: 0, exclusiveMin: true });
  const grids: number[] = [];
  for (let g = start; g <= max; g *= 2) grids.push(g);
  const { gridStart: _a, gridMax: _b, tol: _c, s: _d, delayDt: _e, onProgress, measure: _m, ...knobs } = o;
  const rows: ConvergenceRow[] = [];
  const eigs: { re: Float64Array; im: Float64Array }[] = [];
  let convergedG: number | null = null;
  for (const [k, G] of grids.entries()) {
    const t0 = Date.now();
    const ssm = walrus({ ...knobs, N, measure, grid: G });
    const e = eigGeneral(ssm.A);
    let minAbs = Infinity, maxAbs = 0;
    for (let i = 0; i < e.re.length; i++) {
      const a = Math.hypot(e.re[i], e.im[i]);
      minAbs = Math.min(minAbs, a);
      maxAbs = Math.max(maxAbs, a);
    }
    const delay = delayTaskMSE({ ssm, signal: "ar1", seed: 1, length: 2000, delay: 500, dt });
    const row: ConvergenceRow = {
      G, Nf: ssm.frame.Nf, sMin: ssm.frame.sMin, minAbs, maxAbs, condV: cond2Complex(e.Vre, e.Vim),
      transfer: sPts.map((s) => transfer(ssm, s)), delayLog10Mse: delay.log10mse, seconds: (Date.now() - t0) / 1000,
    };
    const prev = rows[k - 1];
    if (prev) {
      const c = {
        spectrum: spectrumChange(e, eigs[k - 1]),
        condV: rel(row.condV, prev.condV),
        transfer: Math.max(...row.transfer.map((h, i) => rel(h, prev.transfer[i]))),
        // log10 MSE compared as the MSE itself.
        delay: Math.abs(10 ** (row.delayLog10Mse - prev.delayLog10Mse) - 1),
        max: 0,
      };
      c.max = Math.max(c.spectrum, c.condV, c.transfer, c.delay);
      row.change = c;
    }
    rows.push(row);
    eigs.push({ re: e.re, im: e.im });
    // Frames at large G are hundreds of MB; keep none of them once their row is measured.
    clearWalrusCache();
    clearFrameCache();
    onProgress?.(k + 1, grids.length, `G = ${G}${row.change ? `, max change ${row.change.max.toExponential(1)}` : ""}`);
    if (row.change && row.change.max < tol) {
      convergedG = prev.G;
      break;
    }
  }
  return { N, measure, tol, rows, convergedG };
}
