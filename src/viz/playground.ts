// Notebook 05 (initialization playground): a knobs object per init, built through the registry, its
// spectrum summary (eigenvalue count, max Re λ, cond of the eigenvector matrix), side-by-side charts
// and the comparison row. Pure functions over the float64 stage; the notebook only composes them.
import { cond2Complex } from "../linalg/cond.js";
import { eigGeneral, type ComplexEig } from "../linalg/eig.js";
import { denseInit, isWalrusInit, requireInitName, requireStateSize, type InitName, type InitKnobs } from "../ssm/registry.js";
import { WALRUS_KNOB_KEYS } from "../ssm/walrus.js";
import { WAVELET_FRAME_DEFAULTS } from "../frames/waveletFrame.js";
import { DISCRETIZATIONS } from "../ssm/discretize.js";
import type { Discretization } from "../ssm/types.js";
import type { DenseSSM } from "../ssm/types.js";
import { requireFinite, requireInt, requireOneOf } from "../errors.js";
import { S4D_LAYER_LIMITS } from "../nn/s4dLayer.js";
import type { ChartSpec } from "./chart.js";
import type { Row } from "./table.js";
import { lineChart } from "./basicCharts.js";

/** Every knob of one init in the playground. The WaLRUS knobs (wavelet, η, scales, grid, quadrature) only apply to walrus*, θ to legt. */
export interface PlaygroundKnobs extends InitKnobs {
  init: InitName | string;
  /** State size. */
  N: number;
  /** Step size for the kernel (and the centre of the training Δ range). */
  dt: number;
  /** "bilinear" or "zoh". */
  disc: Discretization;
  /** Freeze A in the training run (the W4S4 setting). Default: true for walrus*, false otherwise (S4D). */
  frozenA?: boolean;
  /** Legend label; default knobsLabel(k). */
  label?: string;
}

/** Construction options the registry takes for these knobs: only those of the chosen init. */
export function initOptionsOf(k: PlaygroundKnobs): InitKnobs {
  const o: Record<string, unknown> = {};
  if (isWalrusInit(k.init)) for (const key of WALRUS_KNOB_KEYS) if (k[key] !== undefined) o[key] = k[key];
  if (k.init === "legt" && k.theta !== undefined) o.theta = k.theta;
  return o as InitKnobs;
}

/** A short name: "walrus N=32 db11 η=0.01" / "legs N=32" (plus the scales when set). */
export function knobsLabel(k: PlaygroundKnobs): string {
  if (k.label) return k.label;
  const d = WAVELET_FRAME_DEFAULTS;
  const parts = [`${k.init} N=${k.N}`];
  if (isWalrusInit(k.init)) {
    parts.push(k.wavelet ?? d.wavelet, `η=${k.eta ?? d.eta}`);
    if (k.sMin !== undefined || k.sMax !== undefined) parts.push(`s∈[${k.sMin ?? "auto"},${k.sMax ?? d.sMax}]`);
    if (k.grid !== undefined) parts.push(`G=${k.grid}`);
    if (k.quadrature !== undefined && k.quadrature !== d.quadrature) parts.push(k.quadrature);
    if (k.naturalRank) parts.push("natural rank");
  }
  if (k.init === "legt" && k.theta !== undefined) parts.push(`θ=${k.theta}`);
  return parts.join(" ");
}

/** Validate the knobs and build the continuous (A, B) through the registry. */
export function buildFromKnobs(k: PlaygroundKnobs): DenseSSM {
  const init = requireInitName(k.init);
  requireFinite("dt", k.dt, { min: 0, exclusiveMin: true });
  requireOneOf("disc", k.disc, DISCRETIZATIONS);
  return denseInit(init, { N: k.N, ...initOptionsOf(k) });
}

/**
 * Model overrides for the tiny training run (runClassification's `model`): state size N, the wavelet
 * knobs, the discretization, and the initial Δ range one decade either side of dt (log-uniform in
 * [dt/10, 10·dt]: the S4D default [1e-3, 1e-1] when dt = 0.01).
 */
export function modelOverrides(k: PlaygroundKnobs): { dState: number; initOptions: InitKnobs; disc: Discretization; dtMin: number; dtMax: number } {
  // Checked here, before the run loads its data: the layer's bound and the init's.
  requireInt("N", k.N, 2, S4D_LAYER_LIMITS.dState);
  requireStateSize(requireInitName(k.init), k.N);
  requireFinite("dt", k.dt, { min: 0, exclusiveMin: true });
  return { dState: k.N, initOptions: initOptionsOf(k), disc: requireOneOf("disc", k.disc, DISCRETIZATIONS), dtMin: k.dt / 10, dtMax: k.dt * 10 };
}

/** Whether the training run freezes A: the knob, else true for walrus* (W4S4) and false for the S4D-style inits. */
export function frozenAOf(k: PlaygroundKnobs): boolean {
  return k.frozenA ?? isWalrusInit(k.init);
}

export interface SpectrumSummary {
  N: number;
  /** Eigenvalues of A (all N, conjugates included). */
  eigenvalues: number;
  /** Of which real (|Im λ| ≤ tol·max|λ|). */
  real: number;
  /** Conjugate pairs (= (eigenvalues − real) / 2). */
  complexPairs: number;
  maxRe: number;
  minRe: number;
  maxAbsIm: number;
  /** 2-norm condition number of the unit-column eigenvector matrix V (Infinity when singular). */
  condV: number;
  eig: ComplexEig;
}

/** Eigen-summary of A: how many eigenvalues (real / complex pairs), the extent of the spectrum and cond(V). */
export function spectrumSummary(ssm: DenseSSM, o: { tol?: number } = {}): SpectrumSummary {
  const eig = eigGeneral(ssm.A);
  const n = eig.re.length;
  let maxAbs = 0;
  for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.hypot(eig.re[i], eig.im[i]));
  const tol = (o.tol ?? 1e-10) * (maxAbs || 1);
  let real = 0, maxRe = -Infinity, minRe = Infinity, maxAbsIm = 0;
  for (let i = 0; i < n; i++) {
    if (Math.abs(eig.im[i]) <= tol) real++;
    maxRe = Math.max(maxRe, eig.re[i]);
    minRe = Math.min(minRe, eig.re[i]);
    maxAbsIm = Math.max(maxAbsIm, Math.abs(eig.im[i]));
  }
  return { N: ssm.N, eigenvalues: n, real, complexPairs: (n - real) / 2, maxRe, minRe, maxAbsIm, condV: cond2Complex(eig.Vre, eig.Vim), eig };
}

/** Put charts next to each other (vega-lite hconcat); each keeps its own data, scales and legend. */
export function sideBySide(specs: readonly ChartSpec[], title?: string): ChartSpec {
  if (specs.length === 0) throw new RangeError("sideBySide needs at least one chart");
  const parts = specs.map((s) => {
    const { config: _config, $schema: _schema, ...rest } = s as unknown as Record<string, unknown>;
    return rest;
  });
  return { ...(title ? { title } : {}), hconcat: parts, resolve: { scale: { color: "independent", shape: "independent" } } } as unknown as ChartSpec;
}

/** Index of the largest |K_l| (the kernel's peak lag). */
export function peakLag(K: ArrayLike<number>): number {
  let best = 0;
  for (let l = 1; l < K.length; l++) if (Math.abs(K[l]) > Math.abs(K[best])) best = l;
  return best;
}

/** One row of the playground's comparison table. */
export function comparisonRow(
  k: PlaygroundKnobs,
  s: SpectrumSummary,
  extra: { bestDelayLog10mse?: number; bestDelayDt?: number; testAcc?: number } = {},
): Row {
  return {
    init: knobsLabel(k),
    N: s.N,
    eigenvalues: s.eigenvalues,
    "real / pairs": `${s.real} / ${s.complexPairs}`,
    "max Re λ": s.maxRe,
    // as text: the table formatter prints a huge float like 5e18 as an integer with 19 digits
    "cond(V)": Number.isFinite(s.condV) ? s.condV.toExponential(2) : "∞",
    "best delay log10 MSE": extra.bestDelayLog10mse,
    "at dt": extra.bestDelayDt,
    "test acc": extra.testAcc,
  };
}

/** One kernel curve of the playground: its panel (the init) and its line (e.g. "dt 0.01, bilinear"). */
export interface KernelCurve {
  panel: string;
  line: string;
  K: ArrayLike<number>;
}

/**
 * One panel per init, one line per variant (dt, discretization), each kernel divided by its own max |K_l|
 * (raw scales differ by orders of magnitude across inits).
 */
export function kernelPanelsChart(curves: readonly KernelCurve[], o: { title?: string; width?: number; height?: number } = {}): ChartSpec {
  const rows: Record<string, unknown>[] = [];
  for (const c of curves) {
    let scale = 0;
    for (let l = 0; l < c.K.length; l++) scale = Math.max(scale, Math.abs(c.K[l]));
    if (scale === 0) scale = 1;
    for (let l = 0; l < c.K.length; l++) rows.push({ l, K: c.K[l] / scale, init: c.panel, variant: c.line });
  }
  return lineChart(rows, {
    x: "l", y: "K", color: "variant", facet: new Set(curves.map((c) => c.panel)).size > 1 ? "init" : undefined,
    title: o.title, xTitle: "lag l", yTitle: "K_l / max|K|", width: o.width ?? 300, height: o.height ?? 150,
  });
}

/**
 * Delay-task curves (log10 MSE against dt, log axis) of several inits, with a dashed vertical rule at each
 * init's knob dt, so the chosen step can be read against the optimum. Long init labels are not truncated.
 */
export function delayCurvesChart(
  curves: readonly { label: string; knobDt?: number; points: readonly { dt: number; log10mse: number }[] }[],
  title: string,
): ChartSpec {
  const values = curves.flatMap((c) => c.points.map((p) => ({ dt: p.dt, log10mse: p.log10mse, init: c.label })));
  const rules = curves.filter((c) => c.knobDt !== undefined).map((c) => ({ dt: c.knobDt, init: c.label }));
  const color = { field: "init", type: "nominal", title: null, legend: { labelLimit: 400, orient: "bottom", direction: "vertical" } };
  return {
    title,
    width: 460,
    height: 260,
    layer: [
      {
        data: { values },
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "dt", type: "quantitative", scale: { type: "log" }, title: "dt", axis: { format: ".0e" } },
          y: { field: "log10mse", type: "quantitative", scale: { zero: false }, title: "log10 MSE" },
          color,
        },
      },
      {
        data: { values: rules },
        mark: { type: "rule", strokeDash: [4, 3], opacity: 0.7 },
        encoding: { x: { field: "dt", type: "quantitative" }, color },
      },
    ],
  } as unknown as ChartSpec;
}

/** Kernel length that covers `span` time units at step dt (l < span/dt), clamped to [min, max]. */
export function kernelLength(dt: number, o: { span?: number; min?: number; max?: number } = {}): number {
  requireFinite("dt", dt, { min: 0, exclusiveMin: true });
  const L = Math.round((o.span ?? 3) / dt);
  return Math.min(o.max ?? 4000, Math.max(o.min ?? 50, L));
}
