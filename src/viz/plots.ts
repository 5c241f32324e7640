// Small vega-lite spec builders shared by the notebooks and the CLI, so notebooks only compose calls.
import type { ChartSpec } from "./chart.js";

export interface LineChartOptions {
  x: string;
  y: string;
  /** Series field (one line per value). */
  color?: string;
  /** Facet field (one panel per value, wrapped). */
  facet?: string;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
  points?: boolean;
  /** Dash lines by this field (e.g. "reference" vs "computed"). */
  dash?: string;
}

export function lineChart(rows: Record<string, unknown>[], o: LineChartOptions): ChartSpec {
  const enc: Record<string, unknown> = {
    x: { field: o.x, type: "quantitative", title: o.xTitle ?? o.x, scale: o.logX ? { type: "log" } : { zero: false } },
    y: { field: o.y, type: "quantitative", title: o.yTitle ?? o.y, scale: o.logY ? { type: "log" } : { zero: false }, ...(o.logY ? { axis: { format: ".0e" } } : {}) },
  };
  if (o.color) enc.color = { field: o.color, type: "nominal", title: null, legend: { labelLimit: 320 } };
  if (o.dash) enc.strokeDash = { field: o.dash, type: "nominal", title: null };
  const inner = {
    mark: { type: "line", point: o.points ?? false, clip: true },
    encoding: enc,
    width: o.width ?? 420,
    height: o.height ?? 220,
  };
  if (o.facet) {
    return { title: o.title, data: { values: rows }, facet: { field: o.facet, type: "nominal", title: null }, columns: 3, spec: inner, resolve: { scale: { y: "independent" } } } as unknown as ChartSpec;
  }
  return { title: o.title, data: { values: rows }, ...inner } as unknown as ChartSpec;
}

export interface EigenPoint {
  re: number;
  im: number;
  /** Legend group, e.g. "unit (trivial)" / "nontrivial". */
  kind: string;
}

/** Eigenvalues in the complex plane. */
export function spectrumChart(points: EigenPoint[], o: { title?: string; width?: number; height?: number; logX?: boolean } = {}): ChartSpec {
  return {
    title: o.title,
    data: { values: points },
    // Hollow symbols of different shapes, so coincident eigenvalues of different sets stay visible.
    mark: { type: "point", filled: false, size: 70, strokeWidth: 1.5 },
    width: o.width ?? 360,
    height: o.height ?? 300,
    encoding: {
      x: { field: "re", type: "quantitative", title: "Re λ", scale: o.logX ? { type: "log" } : { zero: false } },
      y: { field: "im", type: "quantitative", title: "Im λ" },
      color: { field: "kind", type: "nominal", title: null, legend: { labelLimit: 320 } },
      shape: { field: "kind", type: "nominal", title: null },
    },
  } as unknown as ChartSpec;
}
