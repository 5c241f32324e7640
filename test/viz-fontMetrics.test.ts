// Chart layout measures text with the font the PNG is drawn in. Checked against resvg's own rendering
// (the ink extent of a rendered line), and on the two layouts vega's 0.8-em guess spoiled.
import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import { dejaVuAdvances, textWidth } from "../src/viz/fontMetrics.js";
import { chartToSvg } from "../src/viz/chart.js";
import { delaySweepChart } from "../src/viz/delayCharts.js";
import { eigenPoints, spectrumChart } from "../src/viz/basicCharts.js";
import { sideBySide } from "../src/viz/playground.js";

const haveFont = existsSync("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");

/** Ink width in px of one line rendered by resvg at `size` px (zoom 4 for sub-pixel accuracy). */
function inkWidth(text: string, size: number, bold: boolean): number {
  const esc = text.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="${3 * size}"><text x="10" y="${2 * size}" font-family="DejaVu Sans" font-size="${size}"${bold ? ' font-weight="bold"' : ""}>${esc}</text></svg>`;
  const img = new Resvg(svg, { fitTo: { mode: "zoom", value: 4 }, background: "white", font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render();
  const { width, height, pixels } = img;
  let lo = width, hi = -1;
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    if (pixels[4 * (y * width + x)] < 128) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  }
  return (hi - lo + 1) / 4;
}

describe.runIf(haveFont)("text widths from DejaVu Sans' own tables", () => {
  it("parses the font: known advances (em)", () => {
    const f = dejaVuAdvances()!;
    expect(f.regular.advance("M".codePointAt(0)!)).toBeCloseTo(1767 / 2048, 6);
    expect(f.regular.advance(" ".codePointAt(0)!)).toBeCloseTo(651 / 2048, 6);
    expect(f.regular.advance("λ".codePointAt(0)!)).toBeGreaterThan(0.4);
    expect(f.bold.advance("M".codePointAt(0)!)).toBeGreaterThan(f.regular.advance("M".codePointAt(0)!));
  });

  it.each([
    ["walrus N=32 db11 η=0.01: eigenvalues of A", 14, true],
    ["best log10 MSE (seed mean ± std)", 12, true],
    ["delay D (samples)", 12, false],
    ["HiPPO-LegS · S4D-Inv → WaLRUS", 11, false],
  ])("%s at %d px matches resvg's rendering within 3 %% (vega's guess is ~40 %% over)", (text, size, bold) => {
    const ink = inkWidth(text, size, bold);
    const ours = textWidth(text, size, bold);
    expect(Math.abs(ours - ink) / ink).toBeLessThan(0.03);
    expect(0.8 * text.length * size / ink).toBeGreaterThan(1.25);
  });

  it("the study-2 axis title is whole (no layer field names joined, no ellipsis)", async () => {
    const rows = [100, 500].flatMap((delay) => ["WaLRUS", "HiPPO-LegS"].map((init) => ({ delay, mean: -1.5, std: 0.1, init })));
    const svg = await chartToSvg(delaySweepChart(rows, "Study 2: best log10 MSE vs delay, AR(1), N = 64"));
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain("best log10 MSE (seed mean ± std)");
    expect(texts.some((t) => t.includes("…"))).toBe(false);
  });

  it("side-by-side spectra: no legend for one set, panels not pushed apart by their titles", async () => {
    const e = { re: Float64Array.from({ length: 8 }, (_, i) => -1 - i), im: Float64Array.from({ length: 8 }, (_, i) => 3 * i) };
    const panel = (t: string) => spectrumChart(eigenPoints(e, t), { title: `${t}: eigenvalues of A`, width: 300, height: 260 });
    const svg = await chartToSvg(sideBySide([panel("walrus N=32 db11 η=0.01"), panel("legs N=32")]));
    const width = Number(svg.match(/width="(\d+)"/)![1]);
    // Two 300-px plots, their y axes (~50 px each) and vega's 20-px spacing; before: 826.
    expect(width).toBeLessThan(740);
    expect(svg).not.toContain("walrus N=32 db11 η=0.01</text>"); // the legend label is gone; the title stays
    expect(svg).toContain("walrus N=32 db11 η=0.01: eigenvalues of A");
  });
});
