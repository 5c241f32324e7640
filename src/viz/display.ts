// Notebook display helpers. Under the tslab kernel (reached through io/notebook.ts) they emit
// display_data (image/svg+xml with image/png, text/html); anywhere else (tests, scripts) they print a
// text fallback, so library code that calls them never needs to know where it runs. The chart/table builders stay pure (chart.ts, table.ts).
import type { ChartSpec } from "./chart.js";
import { chartToSvg, svgToPng } from "./chart.js";
import { tableToCsv, tableToHtml, tableToText, type Row, type TableOptions } from "./table.js";
import { recordArtifact, resultsDir } from "../paper/results.js";
import type * as dfd from "danfojs-node";
import { displayBundle, tslabDisplay } from "../io/notebook.js";

/**
 * Render a vega-lite chart and show it (SVG in a notebook). Returns nothing, so a notebook cell that
 * ends with it doesn't echo the SVG source; use chartToSvg for the string.
 */
export async function showChart(spec: ChartSpec): Promise<void> {
  const svg = await chartToSvg(spec);
  const title = chartTitle(spec);
  const d = tslabDisplay();
  const bundle = d && displayBundle();
  // PNG (2×) beside the SVG: untrusted notebooks, nbconvert and some viewers drop or blank the SVG.
  const png = resultsDir() || bundle ? svgToPng(svg) : undefined;
  if (resultsDir()) recordArtifact("chart", title, { svg, png: png! });
  if (bundle) bundle({ "image/svg+xml": svg, "image/png": Buffer.from(png!).toString("base64"), "text/plain": `[chart: ${title}]` });
  else if (d) d.svg(svg);
  else console.log(`[chart: ${title}, ${svg.length} chars of SVG]`);
}

/** The chart's caption: its title, else its panels' titles joined (side-by-side charts), else "untitled chart". */
export function chartTitle(spec: ChartSpec): string {
  const own = (x: unknown): string | undefined => {
    const t = (x as { title?: unknown }).title;
    if (typeof t === "string" && t.trim()) return t;
    if (Array.isArray(t) && t.length) return t.join(" ");
    if (t && typeof t === "object" && "text" in t) return String((t as { text: unknown }).text);
    return undefined;
  };
  const top = own(spec);
  if (top) return top;
  const o = spec as { hconcat?: unknown[]; vconcat?: unknown[]; concat?: unknown[] };
  const parts = (o.hconcat ?? o.vconcat ?? o.concat ?? []).map(own).filter((t): t is string => t !== undefined);
  return parts.length ? parts.join(" · ") : "untitled chart";
}

/** Show a table (HTML in a notebook, aligned text elsewhere). In the paper run it is also saved as CSV. */
export function showTable(t: dfd.DataFrame | Row[], opts: TableOptions = {}): void {
  if (resultsDir()) recordArtifact("table", opts.caption ?? "table", { csv: tableToCsv(t) });
  const d = tslabDisplay();
  if (d) d.html(tableToHtml(t, opts));
  else console.log(tableToText(t, opts));
}

/** Show markdown in a notebook (plain text elsewhere). */
export function showMarkdown(md: string): void {
  const d = tslabDisplay();
  if (d) d.markdown(md);
  else console.log(md);
}
