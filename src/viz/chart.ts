// vega-lite -> static SVG in Node (no browser, no canvas), and SVG -> PNG through resvg.
// Static SVG renders the same in JupyterLab, the classic notebook, GitHub and offline HTML reports.
// vega 5 (CommonJS, top-level `types`) is pinned on purpose: vega 6 is ESM with top-level await and
// cannot be loaded from a tslab kernel (toolchain.md §4).
import * as vega from "vega";
import * as vl from "vega-lite";
import type { TopLevelSpec } from "vega-lite";
import { Resvg } from "@resvg/resvg-js";
import { writeFileAtomic } from "../io/atomic.js";
import { dejaVuAdvances, isBold, textWidth } from "./fontMetrics.js";

export type ChartSpec = TopLevelSpec;

/** House defaults applied under every chart (font, background, sizes); the spec's own config wins. */
const BASE_CONFIG = {
  background: "white",
  font: "DejaVu Sans",
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: "start" as const },
};

// Layout with the real advance widths of the charts' font (fontMetrics.ts) instead of vega's canvas-less
// guess. A text with a `limit` is at most that wide once vega truncates it (vega's truncation calls back here).
type TextItem = { fontSize?: number; fontWeight?: unknown; limit?: number };
if (dejaVuAdvances()) {
  // vega 5 exports textMetrics; its typings do not declare it.
  (vega as unknown as { textMetrics: { width: (item: TextItem, text: unknown) => number } }).textMetrics.width = (item: TextItem, text: unknown) => {
    const t = text == null ? "" : String(text).trim();
    const w = textWidth(t, item.fontSize != null ? +item.fontSize || 0 : 11, isBold(item.fontWeight));
    return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
  };
}

/** Render a vega-lite spec to an SVG string. */
export async function chartToSvg(spec: ChartSpec): Promise<string> {
  const withConfig = { ...spec, config: { ...BASE_CONFIG, ...(spec as { config?: object }).config } } as ChartSpec;
  const compiled = vl.compile(withConfig).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Rasterise an SVG string to PNG bytes (scale 2 by default). Text uses the system DejaVu fonts. */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const r = new Resvg(svg, {
    fitTo: { mode: "zoom", value: scale },
    background: "white",
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" },
  });
  return r.render().asPng();
}

/**
 * Save a chart as `<pathBase>.svg` (and `<pathBase>.png` unless png is false). Written atomically.
 * Returns the paths written.
 */
export async function saveChart(spec: ChartSpec, pathBase: string, opts: { png?: boolean } = {}): Promise<string[]> {
  const svg = await chartToSvg(spec);
  const out = [`${pathBase}.svg`];
  writeFileAtomic(out[0], svg);
  if (opts.png ?? true) {
    out.push(`${pathBase}.png`);
    writeFileAtomic(out[1], svgToPng(svg));
  }
  return out;
}
