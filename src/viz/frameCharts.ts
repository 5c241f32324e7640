// Notebook 02's frame chart: a few elements of a redundant Daubechies frame (walrus-math §4.2).
import type { ChartSpec } from "./chart.js";
import type { WaveletFrame } from "../frames/waveletFrame.js";
import { lineChart, spreadIndices } from "./basicCharts.js";
import { ParameterError, requireInt } from "../errors.js";

/**
 * A few elements of every (kind, scale) group of the frame — father at s_max, mothers s_max → s_min
 * (walrus-math §4.2) — `perGroup` (default 2) each, in frame order. Coarse elements are wider than [0, 1]
 * and many show only a faint tail there, so the shifts are spread over the elements carrying at least
 * half of the group's largest sampled norm.
 */
export function sampleFrameElements(frame: WaveletFrame, perGroup = 2): number[] {
  requireInt("perGroup", perGroup, 1);
  const groups = new Map<string, number[]>();
  frame.elements.forEach((e, n) => {
    const key = `${e.kind}|${e.s}`;
    const g = groups.get(key);
    if (g) g.push(n);
    else groups.set(key, [n]);
  });
  const norm = (n: number) => Math.sqrt(frame.rows[n].reduce((a, v) => a + v * v, 0));
  const out: number[] = [];
  for (const g of groups.values()) {
    const norms = g.map(norm);
    const top = Math.max(...norms);
    const visible = g.filter((_, i) => norms[i] >= 0.5 * top);
    for (const i of spreadIndices(visible.length, Math.min(perGroup, visible.length))) out.push(visible[i]);
  }
  return out;
}

/**
 * Chosen frame elements on [0, 1], labelled by kind, scale s and shift τ (walrus-math §4.2).
 * `stride` thins the grid for plotting (default 4: 512 of 2048 points).
 */
export function frameElementsChart(frame: WaveletFrame, indices: readonly number[], o: { stride?: number; title?: string; width?: number } = {}): ChartSpec {
  const stride = o.stride ?? 4;
  requireInt("stride", stride, 1);
  for (const n of indices) {
    if (!Number.isInteger(n) || n < 0 || n >= frame.rows.length) throw new ParameterError("indices", `integers in [0, ${frame.rows.length - 1}]`, n);
  }
  const rows = indices.flatMap((n) => {
    const e = frame.elements[n];
    const label = `#${n} ${e.kind} s=${e.s} τ=${e.tau.toFixed(3)}`;
    const out: Record<string, unknown>[] = [];
    for (let j = 0; j < frame.rows[n].length; j += stride) out.push({ x: j / frame.G, value: frame.rows[n][j], element: label });
    return out;
  });
  return lineChart(rows, {
    x: "x",
    y: "value",
    color: "element",
    title: o.title ?? `${frame.wavelet} frame elements on [0, 1] (s ∈ [${frame.sMin}, ${frame.sMax}], η = ${frame.eta}, N_f = ${frame.rows.length})`,
    xTitle: "x",
    yTitle: "φ_n(x)",
    width: o.width ?? 520,
  });
}
