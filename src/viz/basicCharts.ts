// Generic chart builders the notebook charts are made of: lines (optionally faceted, dashed, log),
// spectra in the complex plane, and small helpers to pick what to draw. Pure: data in, vega-lite out.
import type { ChartSpec } from "./chart.js";
import type { CVec } from "../ssm/types.js";
import { requireInt } from "../errors.js";

export interface LineChartOptions {
  /** Field on the x axis (quantitative). */
  x: string;
  /** Field on the y axis (quantitative). */
  y: string;
  /** Series field: one line per value. Default: a single line. */
  color?: string;
  /** Facet field: one panel per value, 3 per row, independent y scales. Default: no facets. */
  facet?: string;
  /** Dash lines by this field (e.g. "computed" vs "closed form"). Default: solid. */
  dash?: string;
  /** Chart title. Default: none. */
  title?: string;
  /** Axis titles. Default: the field names. */
  xTitle?: string;
  yTitle?: string;
  /** Log scales. Default false (linear, not forced through zero). */
  logX?: boolean;
  logY?: boolean;
  /** Plot size in pixels (per panel when faceted). Default 420 × 220. */
  width?: number;
  height?: number;
  /** Draw a symbol at every data point. Default false. */
  points?: boolean;
  /**
   * Ticks exactly at these x values (e.g. the N of a sweep). With logX the domain is also clamped to
   * [min/1.25, max·1.25] instead of vega's nice decades, so a sweep 8…64 fills the plot. Default: vega's ticks.
   */
  xValues?: readonly number[];
  /** x is a count (epoch, step): integer ticks only. Default false. */
  xInteger?: boolean;
}

/** Lines of `rows[y]` against `rows[x]`, optionally split into series, dash groups and facets. */
export function lineChart(rows: readonly Record<string, unknown>[], o: LineChartOptions): ChartSpec {
  const xv = o.xValues && o.xValues.length ? [...o.xValues] : undefined;
  const xScale: Record<string, unknown> = o.logX ? { type: "log" } : { zero: false };
  if (xv && o.logX) Object.assign(xScale, { nice: false, domain: [Math.min(...xv) / 1.25, Math.max(...xv) * 1.25] });
  const enc: Record<string, unknown> = {
    x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x, scale: xScale, ...(xv ? { axis: { values: xv } } : o.xInteger ? { axis: { tickMinStep: 1, format: "d" } } : {}) },
    y: {
      field: o.y,
      type: "quantitative",
      title: o.yTitle ?? o.y,
      scale: o.logY ? { type: "log" } : { zero: false },
      // Decades read as 1e-15 … 1e+20 rather than vega's SI prefixes (f, p, …, E).
      ...(o.logY ? { axis: { format: ".0e" } } : {}),
    },
  };
  // sort: null keeps series in order of appearance (frame order, n = 0, 1, …) instead of alphabetical.
  if (o.color) enc.color = { field: o.color, type: "nominal", title: null, sort: null, legend: { labelLimit: 320 } };
  if (o.dash) enc.strokeDash = { field: o.dash, type: "nominal", title: null, sort: null };
  const inner = {
    mark: { type: "line", point: o.points ?? false, clip: true },
    encoding: enc,
    width: o.width ?? 420,
    height: o.height ?? 220,
  };
  if (o.facet) {
    return {
      title: o.title,
      data: { values: rows },
      facet: { field: o.facet, type: "nominal", title: null, sort: null },
      columns: 3,
      spec: inner,
      resolve: { scale: { y: "independent" } },
    } as unknown as ChartSpec;
  }
  return { title: o.title, data: { values: rows }, ...inner } as unknown as ChartSpec;
}

export interface EigenPoint {
  re: number;
  im: number;
  /** Legend group, e.g. "λ = 1" / "nontrivial". */
  kind: string;
}

export interface SpectrumChartOptions {
  /** Default: none. */
  title?: string;
  /** Default 360 × 300. */
  width?: number;
  height?: number;
  /** Log scale on Re λ (only for spectra with Re λ > 0). Default false. */
  logX?: boolean;
}

/** Eigenvalues as hollow symbols in the complex plane, one colour and shape per `kind`. */
export function spectrumChart(points: readonly EigenPoint[], o: SpectrumChartOptions = {}): ChartSpec {
  // One set under a title needs no legend (the title names it); its width pushed side-by-side panels apart.
  const legend = new Set(points.map((p) => p.kind)).size > 1 || !o.title ? { labelLimit: 320 } : null;
  return {
    title: o.title,
    data: { values: points },
    // Hollow symbols of different shapes keep coincident eigenvalues of different sets visible.
    mark: { type: "point", filled: false, size: 70, strokeWidth: 1.5 },
    width: o.width ?? 360,
    height: o.height ?? 300,
    encoding: {
      // Pixel padding keeps symbols on the domain edge (the largest |Im λ|) inside the frame.
      x: { field: "re", type: "quantitative", title: "Re λ", scale: o.logX ? { type: "log", padding: 10 } : { zero: false, padding: 10 } },
      y: { field: "im", type: "quantitative", title: "Im λ", scale: { padding: 10 } },
      color: { field: "kind", type: "nominal", title: null, legend },
      shape: { field: "kind", type: "nominal", title: null, legend },
    },
  } as unknown as ChartSpec;
}

/** Points of one spectrum, all with the same legend label. */
export function eigenPoints(e: CVec, kind: string): EigenPoint[] {
  return Array.from(e.re, (re, i) => ({ re, im: e.im[i], kind }));
}

/** Smallest |λ|, smallest real eigenvalue (NaN if none) and count of |λ| ≤ 1 of one spectrum. */
export function spectrumStats(e: CVec): { minAbs: number; maxAbs: number; minReal: number; countAbsAtMostOne: number } {
  let minAbs = Infinity;
  let maxAbs = 0;
  let minReal = NaN;
  let countAbsAtMostOne = 0;
  for (let i = 0; i < e.re.length; i++) {
    const a = Math.hypot(e.re[i], e.im[i]);
    minAbs = Math.min(minAbs, a);
    maxAbs = Math.max(maxAbs, a);
    if (a <= 1) countAbsAtMostOne++;
    if (e.im[i] === 0 && !(e.re[i] >= minReal)) minReal = e.re[i];
  }
  return { minAbs, maxAbs, minReal, countAbsAtMostOne };
}

/** Evenly spread element indices 0 … count−1 (first and last included), at most `k` of them. */
export function spreadIndices(count: number, k: number): number[] {
  requireInt("count", count, 1);
  requireInt("k", k, 1);
  if (k === 1) return [0];
  const out = new Set<number>();
  for (let i = 0; i < k; i++) out.add(Math.round((i * (count - 1)) / (k - 1)));
  return [...out];
}
