// The redundant Daubechies frame of WaLRUS (walrus-math §4.2, to be copied exactly per §11):
// element order, shift range with ±1e-12 guards, τ = (kη)2^s, t = (2K−1)((x−τ)/2^s), strict ">"
// energy pruning at 0.005 of the largest row norm.
//
// Porting note: echbaba/walrus `Utils.DWT_filters` / `resample_and_shift` stretch a sampled pywt cascade
// by FFT resampling and shift by integer samples `int(k η L 2^s)`; we evaluate the same functions
// analytically from the exact dyadic table. Element set, pruning and rank come out identical
// (walrus-math §4.2 "Differences from the authors' sampler").
import { Matrix } from "ml-matrix";
import { ParameterError, requireFinite, requireInt } from "../errors.js";
import { parseWavelet } from "./daubechies.js";
import { dyadicTable, interpolateTable, type DyadicTable } from "./dyadic.js";
import { DEFAULT_QUADRATURE, innerProduct, quadrature, quadratureRule, type Quadrature, type QuadratureRule } from "./quadrature.js";

/** Pruning threshold relative to the largest row 2-norm (walrus-math §4.2 "Pruning"). */
export const PRUNE_FRACTION = 0.005;
/** Guard inside ⌈·⌉ and ⌊·⌋ of the shift range (walrus-math §4.2, §11). */
const SHIFT_GUARD = 1e-12;
/** Scales below this would need far more than G samples per element; refuse them. */
export const MIN_SCALE = -8;

/** Defaults of the frame options, stated once (WaLRUS, the CLI help and the playground read them). */
export const WAVELET_FRAME_DEFAULTS = { wavelet: "db11", sMax: 3, eta: 0.01, grid: 2048, quadrature: DEFAULT_QUADRATURE } as const;

export interface WaveletFrameOptions {
  /** Daubechies wavelet "db1" … "db20". Default "db11" (every experiment script of the authors). */
  wavelet?: string;
  /** Finest scale s_min (integer, ≤ sMax, ≥ −8). Default min(0, sMax) (the authors' peak-detection frame [0, 3]). */
  sMin?: number;
  /** Coarsest scale s_max (integer, ≤ 8). Default 3. */
  sMax?: number;
  /** Shift step as a fraction of the element's own width, in (0, 1]. Default 0.01. */
  eta?: number;
  /** Grid intervals G (x_j = j/G), integer in [16, 2^20]. Default 2048. */
  grid?: number;
  /**
   * How the frame is sampled and integrated (walrus-math §3.5): "gregory" (default; x_j = j/G, j = 0..G,
   * Gregory end weights, fourth-order differences) or "left-point" (the authors' j = 0..G−1, (1/G)·Σ_j).
   */
  quadrature?: QuadratureRule;
}

export interface FrameElement {
  kind: "father" | "mother";
  /** Scale exponent: the element is 2^{−s/2} f((2K−1)(x − τ)/2^s). */
  s: number;
  /** Shift index. */
  k: number;
  /** τ = (kη)·2^s. */
  tau: number;
}

export interface WaveletFrame {
  wavelet: string;
  K: number;
  sMin: number;
  sMax: number;
  eta: number;
  G: number;
  /** The grid the rows are sampled on and the weights of every integral over them. */
  quadrature: Quadrature;
  /** Kept elements, in frame order. */
  elements: FrameElement[];
  /** Elements before pruning. */
  countBeforePruning: number;
  /** Sampled frame, one Float64Array per kept element: rows[n][j] = φ_n(x_j) on the quadrature's grid. */
  rows: Float64Array[];
  table: DyadicTable;
}

/** Resolved, validated options (defaults filled in). Throws ParameterError before any work. */
export function resolveFrameOptions(opts: WaveletFrameOptions = {}): Required<WaveletFrameOptions> & { K: number } {
  const d = WAVELET_FRAME_DEFAULTS;
  const wavelet = opts.wavelet ?? d.wavelet;
  const K = parseWavelet(wavelet, "wavelet");
  const sMax = requireInt("sMax", opts.sMax ?? d.sMax, MIN_SCALE, 8);
  const sMin = opts.sMin ?? Math.min(0, sMax);
  requireInt("sMin", sMin, MIN_SCALE, 8);
  if (sMin > sMax) throw new ParameterError("sMin", `an integer <= sMax (${sMax})`, sMin);
  const eta = requireFinite("eta", opts.eta ?? d.eta, { min: 0, max: 1, exclusiveMin: true });
  const grid = requireInt("grid", opts.grid ?? d.grid, 16, 1 << 20);
  const rule = quadratureRule(opts.quadrature);
  return { wavelet, K, sMin, sMax, eta, grid, quadrature: rule };
}

/** Shift indices k = ⌈−1/η⌉ … max(0, ⌊2^{−s}/η⌋) with the ±1e-12 guards (walrus-math §4.2). */
export function shiftRange(s: number, eta: number): [number, number] {
  const lo = Math.ceil(-1 / eta - SHIFT_GUARD);
  const hi = Math.max(0, Math.floor(2 ** -s / eta + SHIFT_GUARD));
  return [lo, hi];
}

/** All elements before pruning, in the order of walrus-math §4.2: father at s_max, then mothers s_max → s_min. */
export function frameElements(sMin: number, sMax: number, eta: number): FrameElement[] {
  const out: FrameElement[] = [];
  const push = (kind: "father" | "mother", s: number) => {
    const [lo, hi] = shiftRange(s, eta);
    for (let k = lo; k <= hi; k++) out.push({ kind, s, k, tau: k * eta * 2 ** s });
  };
  push("father", sMax);
  for (let s = sMax; s >= sMin; s--) push("mother", s);
  return out;
}

/** Value of one element at x: 2^{−s/2} f(t), t = (2K−1)·((x − τ)/2^s), f = φ or ψ from the table. */
export function elementValue(table: DyadicTable, e: FrameElement, x: number): number {
  const w = 2 ** e.s;
  const t = table.support * ((x - e.tau) / w);
  const amp = 1 / Math.sqrt(w); // same expression as sampleElement, so grid values agree bit for bit
  return amp * interpolateTable(e.kind === "father" ? table.phi : table.psi, table.J, t);
}

function sampleElement(table: DyadicTable, e: FrameElement, q: Quadrature): Float64Array {
  const G = q.G;
  const row = new Float64Array(q.x.length);
  const w = 2 ** e.s;
  const amp = 1 / Math.sqrt(w);
  const vals = e.kind === "father" ? table.phi : table.psi;
  // Only the support [τ, τ + 2^s] is non-zero; visit just those grid points.
  const jLo = Math.max(0, Math.floor(e.tau * G) - 1);
  const jHi = Math.min(row.length - 1, Math.ceil((e.tau + w) * G) + 1);
  for (let j = jLo; j <= jHi; j++) {
    const t = table.support * ((j / G - e.tau) / w);
    row[j] = amp * interpolateTable(vals, table.J, t);
  }
  return row;
}

/**
 * Indices (ascending) of the norms strictly above `fraction` × the largest norm (walrus-math §4.2:
 * an element exactly at the threshold is pruned). All zero: nothing is kept.
 */
export function pruneByNorm(norms: ArrayLike<number>, fraction: number = PRUNE_FRACTION): number[] {
  let maxNorm = 0;
  for (let i = 0; i < norms.length; i++) maxNorm = Math.max(maxNorm, norms[i]);
  const threshold = fraction * maxNorm;
  const kept: number[] = [];
  for (let i = 0; i < norms.length; i++) if (norms[i] > threshold) kept.push(i);
  return kept;
}

const cache = new Map<string, WaveletFrame>();

/** Drops the in-process frame cache (a frame is N_f × (G + 1) float64: 218 MB at N_f = 416, G = 65536). */
export function clearFrameCache(): void {
  cache.clear();
}

/**
 * Builds (or returns the cached) sampled, pruned WaLRUS frame. Cached per
 * (wavelet, sMin, sMax, eta, grid, quadrature); the dyadic table is cached per wavelet. Pruning compares
 * L²(0, 1) norms in the quadrature's weights, so at a converged grid it does not depend on G.
 */
export function waveletFrame(opts: WaveletFrameOptions = {}): WaveletFrame {
  const o = resolveFrameOptions(opts);
  const key = `${o.wavelet}|${o.sMin}|${o.sMax}|${o.eta}|${o.grid}|${o.quadrature}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const table = dyadicTable(o.K);
  const q = quadrature(o.quadrature, o.grid);
  const all = frameElements(o.sMin, o.sMax, o.eta);
  const sampled = all.map((e) => sampleElement(table, e, q));
  const norms = sampled.map((r) => Math.sqrt(innerProduct(q, r, r)));
  const kept = pruneByNorm(norms);
  const elements = kept.map((i) => all[i]);
  const rows = kept.map((i) => sampled[i]);
  const frame: WaveletFrame = {
    wavelet: o.wavelet,
    K: o.K,
    sMin: o.sMin,
    sMax: o.sMax,
    eta: o.eta,
    G: o.grid,
    quadrature: q,
    elements,
    countBeforePruning: all.length,
    rows,
    table,
  };
  cache.set(key, frame);
  return frame;
}

/** Every kept element at an arbitrary x (e.g. x = 1 for B = φ(1), walrus-math §3.3 step 5). */
export function evaluateFrameAt(frame: WaveletFrame, x: number): Float64Array {
  requireFinite("x", x);
  const out = new Float64Array(frame.elements.length);
  for (let n = 0; n < out.length; n++) out[n] = elementValue(frame.table, frame.elements[n], x);
  return out;
}

/** The sampled frame as an ml-matrix Matrix (N_f × G, a copy). */
export function frameMatrix(frame: { rows: Float64Array[] }): Matrix {
  return new Matrix(frame.rows);
}
