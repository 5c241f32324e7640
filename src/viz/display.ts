// Notebook display helpers. Under the tslab kernel they emit display_data (image/svg+xml,
// text/html); anywhere else (tests, scripts) they print a text fallback, so library code that calls
// them never needs to know where it runs. The chart/table builders stay pure (chart.ts, table.ts).
import type { ChartSpec } from "./chart.js";
import { chartToSvg } from "./chart.js";
import { tableToHtml, tableToText, type Row, type TableOptions } from "./table.js";
import type * as dfd from "danfojs-node";

interface TslabDisplay {
  svg(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
}

function tslabDisplay(): TslabDisplay | undefined {
  // tslab defines its module only inside the kernel process; require() keeps this synchronous.
  if (!process.argv.some((a) => /tslab/.test(a))) return undefined;
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const req = (globalThis as { require?: (s: string) => unknown }).require ?? eval("require");
    return (req("tslab") as { display: TslabDisplay }).display;
  } catch {
    return undefined;
  }
}

/** True inside a tslab kernel. */
export function inNotebook(): boolean {
  return tslabDisplay() !== undefined;
}

/**
 * Render a vega-lite chart and show it (SVG in a notebook). Returns nothing, so a notebook cell that
 * ends with it doesn't echo the SVG source; use chartToSvg for the string.
 */
export async function showChart(spec: ChartSpec): Promise<void> {
  const svg = await chartToSvg(spec);
  const d = tslabDisplay();
  if (d) d.svg(svg);
  else console.log(`[chart: ${typeof spec.title === "string" ? spec.title : "untitled"}, ${svg.length} chars of SVG]`);
}

/** Show a table (HTML in a notebook, aligned text elsewhere). */
export function showTable(t: dfd.DataFrame | Row[], opts: TableOptions = {}): void {
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
