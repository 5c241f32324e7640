// WaLRUS: SaFARi on the redundant Daubechies frame, reduced to its rank-N subspace by W4S4 Theorem 1
// (walrus-math §4–§5; the recipe of §11, with the default deviations it lists: the gregory quadrature of §3.5).
//
// Porting note: echbaba/walrus builds the full N_f-dimensional SSM (`SSM_Builder.safari`) and reduces it in
// `SSM_Solver.diagonalize()` by keeping the first eff_rank eigenvalues in LAPACK order. We instead reduce by
// subspace (walrus-math §5.1–§5.2): z = U_rᵀ c obeys the closed system z' = (1/t)(−M z + b u), so the
// returned A = −M is r × r without any N_f × N_f eigendecomposition. The state size comes from the rank-N
// truncation and s_min rule of walrus-math §4.4 (the authors' rcond = 0.01 rule with `naturalRank: true`).
import { Matrix } from "ml-matrix";
import { cachedArrays, codeVersion } from "../io/arrayCache.js";
import { constructionStep } from "../io/progress.js";
import { ParameterError, requireFinite, requireInt, requireOneOf } from "../errors.js";
import { truncatedDual, naturalRank as rankOf, type TruncatedDual } from "../frames/dual.js";
import { evaluateFrameAt, MIN_SCALE, resolveFrameOptions, WAVELET_FRAME_DEFAULTS, waveletFrame, type FrameElement, type WaveletFrame, type WaveletFrameOptions } from "../frames/waveletFrame.js";
import { DEFAULT_QUADRATURE, quadratureRule, weightedRows, type QuadratureRule } from "../frames/quadrature.js";
import { gramRows, spectrumOfGram, type GramSpectrum } from "../linalg/svd.js";
import { MEASURES, safariReduced, type Measure, type SampledFrame } from "./safari.js";
import type { DenseSSM } from "./types.js";

/** rcond of the authors' np.linalg.pinv (walrus-math §3.3 step 3). */
export const WALRUS_RCOND = 0.01;
/** Largest state size built: N = 256 takes its default s_min = −3 frame (N_f = 1951) at G = 16384, ≈ 1 min cold on 2 cores. */
export const WALRUS_MAX_N = 256;

/**
 * WaLRUS's default grid G by state size (walrus-math §3.5, measured table): each band's largest "smallest
 * power of two within 1e-6 of the next doubling", both measures, on the default frame (db11, s_max = 3,
 * η = 0.01) with the gregory quadrature. Exceptions stated there: translated N = 65's cond(V) needs 16384
 * (its spectrum, transfer and delay MSE converge at 8192); translated N = 256 was not measured. Another
 * wavelet or η may need more: `w4s4 converge` measures it.
 */
export const WALRUS_GRID_BY_N: readonly { maxN: number; grid: number }[] = [
  { maxN: 18, grid: 2048 },
  { maxN: 64, grid: 4096 },
  { maxN: 128, grid: 8192 },
  { maxN: Infinity, grid: 16384 },
];
/** The left-point rule's default: the former default G (first order, not converged: walrus-math §3.5). */
export const LEFT_POINT_GRID = 2048;

/** The default grid of a WaLRUS build of state size N under `quadrature` (see WALRUS_GRID_BY_N). */
export function walrusDefaultGrid(N: number, quadrature: QuadratureRule = DEFAULT_QUADRATURE): number {
  requireInt("N", N, 1, WALRUS_MAX_N);
  if (quadrature === "left-point") return LEFT_POINT_GRID;
  return WALRUS_GRID_BY_N.find((b) => N <= b.maxN)!.grid;
}

/**
 * The construction knobs of WaLRUS: the frame's options plus the truncation choice. Everything that
 * takes WaLRUS knobs (the registry's InitOptions, the layer's initOptions, the playground, the CLI
 * flags) derives from this type.
 */
export interface WalrusKnobs extends WaveletFrameOptions {
  /** Finest scale. Default: the largest s_min ≤ sMax whose frame has natural rank ≥ N (walrus-math §4.4), not the frame's own default. */
  sMin?: number;
  /** Grid intervals G. Default walrusDefaultGrid(N): converged for N (2048 to N = 18, 4096 to 64, 8192 to 128, then 16384), 2048 with the left-point rule. */
  grid?: number;
  /** false (default): rank-N truncation. true: the authors' rcond = 0.01 rank (N then only selects the frame). */
  naturalRank?: boolean;
}

// A mapped type over WalrusKnobs: a knob added to (or dropped from) the interface fails to compile here.
const KNOBS: { [K in keyof Required<WalrusKnobs>]: true } = { wavelet: true, sMin: true, sMax: true, eta: true, grid: true, quadrature: true, naturalRank: true };
/** The keys of WalrusKnobs, for code that copies or checks them (complete by construction). */
export const WALRUS_KNOB_KEYS = Object.keys(KNOBS) as (keyof WalrusKnobs)[];

export interface WalrusOptions extends WalrusKnobs {
  /** State size (integer ≥ 1). With `naturalRank: true` it only selects the frame (through sMin). */
  N: number;
  /** "scaled" (default; the W4S4 choice) or "translated". */
  measure?: "scaled" | "translated";
}

/** The frame a WaLRUS build used (its options as resolved, and its sizes). */
export interface WalrusFrameInfo extends Pick<WaveletFrame, "wavelet" | "K" | "sMin" | "sMax" | "eta" | "G" | "countBeforePruning"> {
  /** The quadrature rule of the frame's grid (walrus-math §3.5). */
  quadrature: WaveletFrame["quadrature"]["rule"];
  /** Kept frame elements after pruning. */
  Nf: number;
  /** Truncation rank r (= the returned state size). */
  rank: number;
  /** Natural rank #{s_i > 0.01 s_1} of this frame. */
  naturalRank: number;
  /** s_r / s_{r+1} (the gap that makes the kept subspace reproducible; Infinity when r = N_f). */
  gap: number;
}

export interface WalrusSSM extends DenseSSM {
  /** Dual-reconstruction map, one row per grid point x_j = j/G: u(x_j) ≈ (W z)_j for the reduced state z (walrus-math §3.5 step 4, §5.1, §6.2). */
  W: Matrix;
  frame: WalrusFrameInfo;
}

/** Everything behind one WaLRUS build; theorem1Check reuses it. */
export interface WalrusParts {
  frame: WaveletFrame;
  sampled: SampledFrame;
  spectrum: GramSpectrum;
  dual: TruncatedDual;
  measure: Measure;
  info: WalrusFrameInfo;
}

/** Options validated and defaulted; sMin stays undefined until walrusDefaultSMin picks it from N. */
type Resolved = Omit<Required<WalrusOptions>, "sMin"> & { sMin: number | undefined };

/** Validates every option (ParameterError naming it) before any work. */
export function resolveWalrusOptions(opts: WalrusOptions): Resolved {
  if (opts === null || typeof opts !== "object") throw new ParameterError("opts", "an options object with N", opts);
  const N = requireInt("N", opts.N, 1, WALRUS_MAX_N);
  const rule = quadratureRule(opts.quadrature);
  const grid = opts.grid ?? walrusDefaultGrid(N, rule);
  const f = resolveFrameOptions({ wavelet: opts.wavelet, sMax: opts.sMax, sMin: opts.sMin ?? opts.sMax ?? WAVELET_FRAME_DEFAULTS.sMax, eta: opts.eta, grid, quadrature: rule });
  const measure = requireOneOf("measure", opts.measure ?? "scaled", MEASURES);
  const nr = opts.naturalRank ?? false;
  if (typeof nr !== "boolean") throw new ParameterError("naturalRank", "true or false", nr);
  if (N > f.grid) throw new ParameterError("N", `an integer <= grid (${f.grid})`, N);
  return { N, wavelet: f.wavelet, sMin: opts.sMin, sMax: f.sMax, eta: f.eta, grid: f.grid, quadrature: f.quadrature, measure, naturalRank: nr };
}

const spectrumCache = new Map<WaveletFrame, GramSpectrum>();

/** Bump to drop every cached spectrum (the code hash below already covers edits to these files). */
const SPECTRUM_CACHE_VERSION = 1;
/** What a frame's rows, its Gram spectrum and the s_min search are computed by. */
const FRAME_CODE = ["src/frames/daubechies.ts", "src/frames/dyadic.ts", "src/frames/quadrature.ts", "src/frames/waveletFrame.ts", "src/linalg/svd.ts", "src/frames/dual.ts", "src/ssm/walrus.ts"];
const frameCode = () => codeVersion(FRAME_CODE, ["ml-matrix"]);

/** The last Gram matrix computed in a run of spectrumOf calls, for the next frame to reuse. */
interface GramChain {
  last?: { frame: WaveletFrame; gram: Matrix };
}

const elementKey = (e: FrameElement) => `${e.kind}|${e.s}|${e.k}`;

/**
 * Where each row of `frame` sits in `prev` (the same element sampled on the same grid), else −1. Frames
 * that differ only in sMin share most elements, but not always all: the pruning threshold follows the
 * largest row norm, so a finer frame may drop an element a coarser one kept. The samples are compared
 * too (N_f × G compares, cheap next to the Gram), so a reused entry is always the very same dot product.
 */
function sharedRows(frame: WaveletFrame, prev: WaveletFrame): Int32Array {
  const none = new Int32Array(frame.rows.length).fill(-1);
  if (prev.wavelet !== frame.wavelet || prev.eta !== frame.eta || prev.G !== frame.G || prev.quadrature.rule !== frame.quadrature.rule) return none;
  const at = new Map(prev.elements.map((e, i) => [elementKey(e), i]));
  return none.map((_, i) => {
    const j = at.get(elementKey(frame.elements[i]));
    if (j === undefined) return -1;
    const p = prev.rows[j], r = frame.rows[i];
    for (let x = 0; x < r.length; x++) if (p[x] !== r[x]) return -1;
    return j;
  });
}

function spectrumOf(frame: WaveletFrame, chain: GramChain = {}): GramSpectrum {
  let sp = spectrumCache.get(frame);
  if (!sp) {
    const m = frame.rows.length;
    if (m > frame.G) {
      throw new ParameterError("grid", `at least the frame size N_f (${m}) for sMin = ${frame.sMin}`, frame.G);
    }
    // The Gram eigendecomposition dominates a build (≈ 0.3 s for N_f = 416); it is exact to store.
    // The frame code's own constants (pruning, table level, scale bound, rcond) are in frameCode()'s hash.
    const key = { v: SPECTRUM_CACHE_VERSION, wavelet: frame.wavelet, sMin: frame.sMin, sMax: frame.sMax, eta: frame.eta, G: frame.G, quadrature: frame.quadrature.rule, Nf: m };
    const a = cachedArrays("gram-spectrum", key, () => {
      constructionStep(`Gram eigendecomposition of ${m} frame elements (${frame.wavelet}, scales ${frame.sMin}…${frame.sMax}, grid ${frame.G})`);
      const prev = chain.last;
      // F̂ = F diag(√w): its plain dot products are the frame's L² inner products (walrus-math §3.5).
      const gram = gramRows(weightedRows(frame.rows, frame.quadrature), prev && { index: sharedRows(frame, prev.frame), gram: prev.gram });
      chain.last = { frame, gram };
      const g = spectrumOfGram(gram);
      return { sAll: g.sAll, U: Float64Array.from(g.U.to1DArray()) };
    }, frameCode());
    if (a.sAll.length !== m || a.U.length !== m * m) throw new Error(`cached spectrum of ${m} rows has ${a.sAll.length} values`);
    sp = { sAll: a.sAll, U: Matrix.from1DArray(m, m, a.U) };
    spectrumCache.set(frame, sp);
  }
  return sp;
}

/**
 * walrus-math §4.4 step 1: the largest s_min ≤ s_max whose frame has natural rank (rcond 0.01) ≥ N.
 * Throws ParameterError("N") when no s_min down to −8 (or down to N_f > G) reaches N.
 */
export function walrusDefaultSMin(N: number, opts: Omit<WaveletFrameOptions, "sMin"> = {}): number {
  requireInt("N", N, 1, WALRUS_MAX_N);
  const rule = quadratureRule(opts.quadrature);
  const f = resolveFrameOptions({ ...opts, sMin: opts.sMax ?? WAVELET_FRAME_DEFAULTS.sMax, grid: opts.grid ?? walrusDefaultGrid(N, rule), quadrature: rule });
  // The search builds every coarser frame; its answer is cached too (NaN: none reaches N).
  const key = { v: SPECTRUM_CACHE_VERSION, N, wavelet: f.wavelet, sMax: f.sMax, eta: f.eta, G: f.grid, quadrature: f.quadrature };
  const found = cachedArrays("walrus-smin", key, () => {
    // Each finer frame holds (nearly) every row of the last: its Gram reuses the dot products.
    const chain: GramChain = {};
    for (let s = f.sMax; s >= MIN_SCALE; s--) {
      constructionStep(`default s_min for N = ${N}: trying s_min = ${s}`);
      const frame = waveletFrame({ wavelet: f.wavelet, sMin: s, sMax: f.sMax, eta: f.eta, grid: f.grid, quadrature: f.quadrature });
      if (frame.rows.length > f.grid) break;
      if (rankOf(spectrumOf(frame, chain).sAll, WALRUS_RCOND) >= N) return { sMin: Float64Array.of(s) };
    }
    return { sMin: Float64Array.of(NaN) };
  }, frameCode()).sMin[0];
  if (Number.isInteger(found)) return found;
  throw new ParameterError("N", `at most the natural rank reachable with sMax = ${f.sMax}, grid = ${f.grid} (try a larger grid or sMin)`, N);
}

/** Frame, spectrum, truncated dual and sizes of one WaLRUS build (uncached beyond the frame and spectrum). */
export function walrusParts(opts: WalrusOptions): WalrusParts {
  const o = resolveWalrusOptions(opts);
  const sMin = o.sMin ?? walrusDefaultSMin(o.N, o);
  const frame = waveletFrame({ wavelet: o.wavelet, sMin, sMax: o.sMax, eta: o.eta, grid: o.grid, quadrature: o.quadrature });
  const spectrum = spectrumOf(frame);
  const Nf = frame.rows.length;
  const natural = rankOf(spectrum.sAll, WALRUS_RCOND);
  if (!o.naturalRank && o.N > Nf) throw new ParameterError("N", `an integer <= N_f (${Nf}) of the frame with sMin = ${sMin}`, o.N);
  const dual = truncatedDual(frame.rows, frame.quadrature, o.naturalRank ? { rcond: WALRUS_RCOND, spectrum } : { rank: o.N, spectrum });
  const r = dual.rank;
  const info: WalrusFrameInfo = {
    wavelet: o.wavelet,
    K: frame.K,
    sMin,
    sMax: o.sMax,
    eta: o.eta,
    G: o.grid,
    quadrature: o.quadrature,
    Nf,
    countBeforePruning: frame.countBeforePruning,
    rank: r,
    naturalRank: natural,
    gap: r < spectrum.sAll.length ? spectrum.sAll[r - 1] / spectrum.sAll[r] : Infinity,
  };
  const sampled: SampledFrame = { rows: frame.rows, quadrature: frame.quadrature, atOne: evaluateFrameAt(frame, 1) };
  return { frame, sampled, spectrum, dual, measure: o.measure, info };
}

const memo = new Map<string, WalrusSSM>();

/** Drops the in-process WaLRUS memo (frames and dyadic tables stay cached). */
export function clearWalrusCache(): void {
  memo.clear();
  spectrumCache.clear();
}

function copyOf(s: WalrusSSM): WalrusSSM {
  return { ...s, A: s.A.clone(), B: Float64Array.from(s.B), W: s.W.clone(), frame: { ...s.frame }, meta: { ...s.meta } };
}

/**
 * The WaLRUS SSM of state size N in S4 sign: A = −M (r × r, walrus-math §5.1), B = U_rᵀ φ(1), plus the
 * reconstruction map W. Memoised in-process by the resolved options; each call returns a fresh copy.
 */
export function walrus(opts: WalrusOptions): WalrusSSM {
  const o = resolveWalrusOptions(opts);
  const key = JSON.stringify(o);
  const hit = memo.get(key);
  if (hit) return copyOf(hit);
  const p = walrusParts(opts);
  const { A, B } = safariReduced(p.sampled, p.dual, p.measure);
  const ssm: WalrusSSM = {
    name: p.measure === "scaled" ? "walrus" : "walrus-translated",
    N: p.dual.rank,
    A,
    B,
    W: p.dual.W,
    frame: p.info,
    meta: {
      measure: p.measure,
      truncation: o.naturalRank ? `rcond ${WALRUS_RCOND}` : "rank-N",
      ...p.info,
    },
  };
  memo.set(key, ssm);
  return copyOf(ssm);
}

/**
 * Reconstruction functional at frame coordinate x ∈ [0, 1] (walrus-math §6.2): the row W[round(xG), :] of
 * the grid point nearest x (clamped to the last sample: x = 1 − 1/G with the left-point rule), so that
 * u(x·T) ≈ Σ_i out_i z_i for the scaled state at time T.
 */
export function walrusDualReadout(ssm: WalrusSSM, x: number): Float64Array {
  requireFinite("x", x, { min: 0, max: 1 });
  const j = Math.min(ssm.W.rows - 1, Math.max(0, Math.round(x * ssm.frame.G)));
  return Float64Array.from(ssm.W.getRow(j));
}
