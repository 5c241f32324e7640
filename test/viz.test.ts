import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chartToSvg, saveChart, svgToPng } from "../src/viz/chart.js";
import { tableToCsv, tableToHtml, tableToText, toDataFrame, formatCell } from "../src/viz/table.js";
import { parseSize, bySize } from "../src/notebookSize.js";

const spec = {
  title: "test chart",
  data: { values: [{ x: 0, y: 1 }, { x: 1, y: 3 }, { x: 2, y: 2 }] },
  mark: "line" as const,
  encoding: { x: { field: "x", type: "quantitative" as const }, y: { field: "y", type: "quantitative" as const } },
};

describe("charts", () => {
  it("renders vega-lite to standalone SVG with the title text and a line path", async () => {
    const svg = await chartToSvg(spec);
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(">test chart</text>");
    expect(svg).toMatch(/<path[^>]*aria-roledescription="line mark"/);
  });

  it("saves SVG and a real PNG (signature and size)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "w4s4-viz-"));
    const files = await saveChart(spec, join(dir, "c"));
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(["c.svg", "c.png"]);
    const png = readFileSync(files[1]);
    expect(Array.from(png.subarray(0, 8))).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const width = png.readUInt32BE(16);
    const svgWidth = Number(/width="(\d+)"/.exec(readFileSync(files[0], "utf8"))![1]);
    expect(width).toBe(2 * svgWidth);
    expect(svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="3" height="2"></svg>', 1).length).toBeGreaterThan(40);
  });
});

describe("tables", () => {
  const rows = [
    { init: "walrus", N: 64, log10mse: -1.35912 },
    { init: "legs", N: 64, log10mse: -1.2341 },
  ];
  it("danfo frame round-trips to HTML, text and CSV with formatted numbers", () => {
    const df = toDataFrame(rows);
    expect(df.shape).toEqual([2, 3]);
    const html = tableToHtml(df, { caption: "Study 1" });
    expect(html).toContain("<th");
    expect(html).toContain(">walrus</td>");
    expect(html).toContain(">-1.359</td>");
    expect(html).toContain("Study 1</caption>");
    const text = tableToText(df).split("\n");
    expect(text[0].trim().split(/\s+/)).toEqual(["init", "N", "log10mse"]);
    expect(text[2].trim().split(/\s+/)).toEqual(["walrus", "64", "-1.359"]);
    expect(tableToCsv(rows)).toBe("init,N,log10mse\nwalrus,64,-1.35912\nlegs,64,-1.2341\n");
  });
  it("formats small and large numbers in exponent form", () => {
    expect(formatCell(1.23456e-7)).toBe("1.235e-7");
    expect(formatCell(0.5)).toBe("0.5");
    expect(formatCell(NaN)).toBe("NaN");
  });
});

describe("size knob", () => {
  it("accepts the three sizes and rejects others naming the parameter", () => {
    expect(parseSize(undefined)).toBe("default");
    expect(parseSize("small")).toBe("small");
    expect(bySize({ small: 1, default: 2, full: 3 }, "full")).toBe(3);
    expect(() => parseSize("huge")).toThrow(/Invalid W4S4_SIZE: got "huge"; allowed: one of small, default, full/);
  });
});

describe("chart captions (the report's 'Chart n — …')", () => {
  it("use the title, else the side-by-side panels' titles, never the bare word 'chart'", async () => {
    const { chartTitle } = await import("../src/viz/display.js");
    const { sideBySide } = await import("../src/viz/playground.js");
    const a = { title: "LegS spectrum", mark: "point" } as never, b = { title: { text: "WaLRUS spectrum" }, mark: "point" } as never;
    expect(chartTitle(a)).toBe("LegS spectrum");
    expect(chartTitle(sideBySide([a, b]))).toBe("LegS spectrum · WaLRUS spectrum");
    expect(chartTitle(sideBySide([a, b], "two inits"))).toBe("two inits");
    expect(chartTitle({ mark: "point" } as never)).toBe("untitled chart");
  });
});
