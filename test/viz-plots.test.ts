import { describe, expect, it } from "vitest";
import { chartToSvg } from "../src/viz/chart.js";
import { lineChart, spectrumChart } from "../src/viz/plots.js";

describe("plot builders", () => {
  it("line chart with series, log axis and facets renders every series", async () => {
    const rows = [1, 2, 3].flatMap((k) => [1, 10, 100].map((x) => ({ x, y: k * x, s: `k${k}`, f: k % 2 ? "odd" : "even" })));
    const svg = await chartToSvg(lineChart(rows, { x: "x", y: "y", color: "s", logY: true, title: "t" }));
    expect((svg.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(3);
    expect(svg).toContain("log scale");
    const faceted = await chartToSvg(lineChart(rows, { x: "x", y: "y", color: "s", facet: "f" }));
    expect((faceted.match(/aria-roledescription="line mark"/g) ?? []).length).toBe(3);
  });
  it("spectrum chart draws one symbol per eigenvalue", async () => {
    const pts = [
      { re: 1, im: 0, kind: "unit" },
      { re: 2, im: 3, kind: "nontrivial" },
      { re: 2, im: -3, kind: "nontrivial" },
    ];
    const svg = await chartToSvg(spectrumChart(pts, { title: "spec" }));
    expect((svg.match(/aria-roledescription="point"/g) ?? []).length).toBe(3);
  });
});
