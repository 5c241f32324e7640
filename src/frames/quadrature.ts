// How a frame on [0, 1] is sampled, integrated and differentiated (walrus-math §3.3, §3.5): every
// integral of SaFARi, the Gram matrix and the dual frame become Σ_j w_j f(x_j) on one grid.
//
// Porting note: echbaba/walrus `SSM_Builder.completeFrame` / `safari()` sample x = arange(G)/G and sum with
// the left-point rule (1/G)·Σ_j, differentiating with findiff accuracy 2: our "left-point" rule, first order
// in 1/G because the integrands jump at x = 0 and x = 1 (walrus-math §3.5). The default "gregory" rule adds
// the sample x = 1, Gregory's end weights and fourth-order differences, and converges at G of a few thousand;
// walrus-math §11 lists it as a deviation.
import { ParameterError, requireInt, requireOneOf } from "../errors.js";

export type QuadratureRule = "gregory" | "left-point";
export const QUADRATURE_RULES: readonly QuadratureRule[] = ["gregory", "left-point"];
/** The default rule, stated once (frames, WaLRUS, the CLI help and the playground read it). */
export const DEFAULT_QUADRATURE: QuadratureRule = "gregory";

/** Gregory's end corrections to the trapezoid rule, exact on cubics (walrus-math §3.5). */
const GREGORY_ENDS = [3 / 8, 7 / 6, 23 / 24] as const;

export interface Quadrature {
  rule: QuadratureRule;
  /** Number of intervals: spacing h = 1/G. */
  G: number;
  /** Sample points x_j = j/G: j = 0..G (gregory) or 0..G−1 (left-point). */
  x: Float64Array;
  /** Weights with Σ_j w_j f(x_j) ≈ ∫_0^1 f; they sum to 1. */
  w: Float64Array;
}

/** A validated rule name; undefined is the default. */
export function quadratureRule(v: unknown): QuadratureRule {
  return requireOneOf("quadrature", v ?? DEFAULT_QUADRATURE, QUADRATURE_RULES);
}

/** Samples needed by `rule` at G intervals. */
export function sampleCount(rule: QuadratureRule, G: number): number {
  return rule === "gregory" ? G + 1 : G;
}

const memo = new Map<string, Quadrature>();

/** The grid and weights of `rule` with G intervals (G ≥ 16: Gregory's ends must not overlap). */
export function quadrature(rule: QuadratureRule, G: number): Quadrature {
  quadratureRule(rule);
  requireInt("grid", G, 16, 1 << 20);
  const key = `${rule}|${G}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const n = sampleCount(rule, G);
  const x = new Float64Array(n);
  for (let j = 0; j < n; j++) x[j] = j / G;
  const w = new Float64Array(n).fill(1 / G);
  if (rule === "gregory") {
    GREGORY_ENDS.forEach((c, i) => {
      w[i] = c / G;
      w[n - 1 - i] = c / G;
    });
  }
  const q = { rule, G, x, w };
  memo.set(key, q);
  return q;
}

/** Σ_j w_j f_j g_j: the quadrature's inner product of two sampled functions. */
export function innerProduct(q: Quadrature, f: ArrayLike<number>, g: ArrayLike<number>): number {
  if (f.length !== q.w.length || g.length !== q.w.length) throw new ParameterError("f.length", `the quadrature's ${q.w.length} samples`, f.length);
  let s = 0;
  for (let j = 0; j < q.w.length; j++) s += q.w[j] * f[j] * g[j];
  return s;
}

/**
 * F·diag(√w): the rows scaled so that plain dot products are the quadrature's inner products. Its Gram
 * matrix is the frame's Gram matrix and its SVD the weighted least-squares dual's (walrus-math §3.5 step 4).
 */
export function weightedRows(rows: readonly Float64Array[], q: Quadrature): Float64Array[] {
  const sw = q.w.map(Math.sqrt);
  return rows.map((r) => {
    if (r.length !== sw.length) throw new ParameterError("rows[n].length", `the quadrature's ${sw.length} samples`, r.length);
    return r.map((v, j) => v * sw[j]);
  });
}
