// vega-lite specs for the delay studies (rendered by src/viz/chart.ts). Pure data → spec.
import type { ChartSpec } from "./chart.js";

/** Fig. 1 style: log10 MSE against dt (log axis), one line per series (field `init`). */
export function dtCurveChart(points: { dt: number; log10mse: number; init: string; std?: number }[], title: string): ChartSpec {
  return {
    title,
    width: 460,
    height: 260,
    data: { values: points },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "dt", type: "quantitative", scale: { type: "log" }, title: "dt", axis: { format: ".0e" } },
      y: { field: "log10mse", type: "quantitative", scale: { zero: false }, title: "log10 MSE" },
      color: { field: "init", type: "nominal", title: null },
    },
  } as ChartSpec;
}

/** Study 2: best log10 MSE (dt re-optimised) against the delay D, with ±std error bars. */
export function delaySweepChart(rows: { delay: number; mean: number; std: number; init: string }[], title: string): ChartSpec {
  const values = rows.map((r) => ({ ...r, lo: r.mean - r.std, hi: r.mean + r.std }));
  return {
    title,
    width: 460,
    height: 260,
    data: { values },
    layer: [
      {
        mark: { type: "line", point: true },
        encoding: {
          x: { field: "delay", type: "quantitative", title: "delay D (samples)" },
          y: { field: "mean", type: "quantitative", scale: { zero: false }, title: "best log10 MSE (seed mean ± std)" },
          color: { field: "init", type: "nominal", title: null },
        },
      },
      {
        mark: { type: "errorbar" },
        encoding: {
          x: { field: "delay", type: "quantitative" },
          // Without its own title the layer's field names join the axis title ("…, lo") and overflow it.
          y: { field: "lo", type: "quantitative", title: "best log10 MSE (seed mean ± std)" },
          y2: { field: "hi" },
          color: { field: "init", type: "nominal", title: null },
        },
      },
    ],
  } as ChartSpec;
}
