// Notebook 02's basis and kernel charts: (e^{tA}B)_n against t (beside a closed form), and SSM
// kernels K_l per init and dt.
import type { Matrix } from "ml-matrix";
import type { ChartSpec } from "./chart.js";
import { lineChart } from "./basicCharts.js";
import { requireInt } from "../errors.js";

/**
 * Basis functions t ↦ basis[t][n] for the chosen columns, one colour per n; with `reference` (same layout)
 * each n is drawn twice, dashed by source ("e^{tA}B" vs "closed form").
 */
export function basisChart(
  times: ArrayLike<number>,
  basis: Matrix,
  columns: readonly number[],
  o: { reference?: readonly ArrayLike<number>[]; title?: string; label?: (n: number) => string; width?: number } = {},
): ChartSpec {
  const label = o.label ?? ((n: number) => `n = ${n}`);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < times.length; i++) {
    for (const n of columns) {
      rows.push({ t: times[i], value: basis.get(i, n), n: label(n), source: "e^{tA}B (expm)" });
      if (o.reference) rows.push({ t: times[i], value: o.reference[i][n], n: label(n), source: "closed form" });
    }
  }
  return lineChart(rows, { x: "t", y: "value", color: "n", dash: o.reference ? "source" : undefined, title: o.title, xTitle: "t", yTitle: "(e^{tA}B)_n", width: o.width ?? 520 });
}

export interface KernelSeries {
  init: string;
  dt: number;
  K: ArrayLike<number>;
}

/**
 * One panel per init, one line per dt. `normalize` (default true) divides each kernel by its max |K_l|, so
 * shapes compare across inits whose raw scales differ by orders of magnitude; `stride` (default 1: every l,
 * since thinning aliases the fast oscillations of s4d-inv / s4d-legs) thins l.
 */
export function kernelsChart(series: readonly KernelSeries[], o: { normalize?: boolean; stride?: number; title?: string; width?: number; height?: number } = {}): ChartSpec {
  const stride = o.stride ?? 1;
  requireInt("stride", stride, 1);
  const rows: Record<string, unknown>[] = [];
  for (const s of series) {
    let scale = 1;
    if (o.normalize ?? true) {
      scale = 0;
      for (let l = 0; l < s.K.length; l++) scale = Math.max(scale, Math.abs(s.K[l]));
      if (scale === 0) scale = 1;
    }
    for (let l = 0; l < s.K.length; l += stride) rows.push({ l, K: s.K[l] / scale, init: s.init, dt: `dt = ${s.dt}` });
  }
  return lineChart(rows, {
    x: "l",
    y: "K",
    color: "dt",
    facet: series.length && new Set(series.map((s) => s.init)).size > 1 ? "init" : undefined,
    title: o.title,
    xTitle: "lag l",
    yTitle: o.normalize ?? true ? "K_l / max|K|" : "K_l",
    width: o.width ?? 220,
    height: o.height ?? 120,
  });
}
