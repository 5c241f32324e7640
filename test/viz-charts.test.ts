import { describe, expect, it } from "vitest";
import { chartToSvg } from "../src/viz/chart.js";
import { basisChart, kernelsChart } from "../src/viz/kernelCharts.js";
import { condTableRows, condVsNChart, theorem1CountsChart, theorem1CountsRows, theorem1SpectrumChart, theorem1SpectrumPoints, unitVisibilityChart } from "../src/viz/theorem1Charts.js";
import { eigenPoints, lineChart, spectrumChart, spectrumStats, spreadIndices } from "../src/viz/basicCharts.js";
import { frameElementsChart, sampleFrameElements } from "../src/viz/frameCharts.js";
import { legsTossmClosedForm, maxAbsDiff } from "../src/ssm/reference.js";
import { type Theorem1Case } from "../src/ssm/theorem1.js";
import type { Theorem1Report } from "../src/ssm/theorem1.js";
import { hippoLegS } from "../src/ssm/hippo.js";
import { tossmBasis } from "../src/ssm/reference.js";
import { waveletFrame } from "../src/frames/waveletFrame.js";
import { ParameterError } from "../src/errors.js";

const count = (svg: string, role: string) => (svg.match(new RegExp(`aria-roledescription="${role}"`, "g")) ?? []).length;

/** A synthetic report shaped like theorem1Check's: nUnit eigenvalues at 1 (to 1e-12), pairs elsewhere. */
function fakeReport(N: number, nUnit: number, ref = true): Theorem1Report {
  const Nf = N + nUnit;
  const re = new Float64Array(Nf);
  const im = new Float64Array(Nf);
  for (let i = 0; i < nUnit; i++) re[i] = 1 + (i % 2 ? 1e-12 : -1e-12);
  for (let k = 0; k < N / 2; k++) {
    re[nUnit + 2 * k] = re[nUnit + 2 * k + 1] = 1.5 + k;
    im[nUnit + 2 * k] = 3 * (k + 1);
    im[nUnit + 2 * k + 1] = -3 * (k + 1);
  }
  const eigReduced = { re: re.slice(nUnit), im: im.slice(nUnit) };
  return {
    Nf,
    naturalRank: N,
    nUnit,
    nNontrivial: N,
    minAbsNontrivial: ref ? 1.122 : 2,
    maxAbs: ref ? 11.6 : 3,
    condVReduced: ref ? 4.0 : 1,
    condVFull: 3.8e3,
    maxUnitVisibility: 9e-17,
    rank: N,
    eigFull: { re, im },
    eigReduced,
  };
}

describe("generic builders", () => {
  it("line chart: one line per series, log scale, facets keep every series", async () => {
    const rows = [1, 2, 3].flatMap((k) => [1, 10, 100].map((x) => ({ x, y: k * x, s: `k${k}`, f: k % 2 ? "odd" : "even" })));
    const svg = await chartToSvg(lineChart(rows, { x: "x", y: "y", color: "s", logY: true, title: "t" }));
    expect(count(svg, "line mark")).toBe(3);
    expect(svg).toContain("log scale");
    const faceted = await chartToSvg(lineChart(rows, { x: "x", y: "y", color: "s", facet: "f" }));
    expect(count(faceted, "line mark")).toBe(3);
  });

  it("spectrum chart: one symbol per eigenvalue", async () => {
    const pts = eigenPoints({ re: Float64Array.of(1, 2, 2), im: Float64Array.of(0, 3, -3) }, "eig");
    const svg = await chartToSvg(spectrumChart(pts, { title: "spec" }));
    expect(count(svg, "point")).toBe(3);
  });

  it("spectrumStats: min/max |λ|, smallest real eigenvalue, count inside the unit disc", () => {
    const s = spectrumStats({ re: Float64Array.of(0.931, 2, 2, 1.5), im: Float64Array.of(0, 1, -1, 0) });
    expect(s.minAbs).toBeCloseTo(0.931, 15);
    expect(s.maxAbs).toBeCloseTo(Math.sqrt(5), 15);
    expect(s.minReal).toBe(0.931);
    expect(s.countAbsAtMostOne).toBe(1);
    expect(Number.isNaN(spectrumStats({ re: Float64Array.of(1), im: Float64Array.of(2) }).minReal)).toBe(true);
  });
});

describe("Theorem-1 builders (notebook 01)", () => {
  const cases: Theorem1Case[] = [
    { N: 8, report: fakeReport(8, 99) },
    { N: 10, report: fakeReport(10, 20, false) },
    { N: 8, naturalRank: true, report: fakeReport(8, 30, false) },
  ];

  it("spectrum points: unit eigenvalues (within 1e-8 of 1) vs nontrivial vs eig(M), all drawn", async () => {
    const pts = theorem1SpectrumPoints(cases[0].report);
    expect(pts.length).toBe(107 + 8);
    const kinds = new Map<string, number>();
    for (const p of pts) kinds.set(p.kind, (kinds.get(p.kind) ?? 0) + 1);
    expect(kinds.get("λ = 1 (99×, full A_pos)")).toBe(99);
    expect(kinds.get("nontrivial (full A_pos)")).toBe(8);
    expect(kinds.get("eig(M) (reduced, kept)")).toBe(8);
    const svg = await chartToSvg(theorem1SpectrumChart(cases[0].report, { title: "T1" }));
    expect(count(svg, "point")).toBe(115);
    expect(count(svg, "legend")).toBeGreaterThanOrEqual(1);
  });

  it("counts table: measured (reference) cells and an exact §5.2 verdict; none for unlisted N", () => {
    const rows = theorem1CountsRows(cases);
    expect(rows.length).toBe(3);
    expect(rows[0]["N_f"]).toBe("107 (107)");
    expect(rows[0]["#λ=1"]).toBe("99 (99)");
    expect(rows[0]["cond V reduced"]).toBe("4.0 (4)");
    expect(rows[0]["matches §5.2"]).toBe("yes");
    expect(rows[1]["matches §5.2"]).toBe("—");
    expect(rows[2].N).toBe("8 (natural rank r = 8)");
    const off = theorem1CountsRows([{ N: 8, report: { ...fakeReport(8, 99), condVReduced: 4.1 } }]);
    expect(off[0]["matches §5.2"]).toBe("NO"); // 2.5 % off the reference exceeds the 1 % tolerance
  });

  it("counts chart: two stacked bars per case", async () => {
    const svg = await chartToSvg(theorem1CountsChart(cases));
    expect(count(svg, "bar")).toBe(2 * cases.length);
  });

  it("cond(V) and visibility charts: log–log, one line per series, one point per N", async () => {
    const rows = [8, 16, 32].flatMap((N) => [
      { N, condV: N / 2, init: "WaLRUS" },
      { N, condV: 10 ** (N / 3), init: "LegS" },
    ]);
    const svg = await chartToSvg(condVsNChart(rows));
    expect(count(svg, "line mark")).toBe(2);
    expect(count(svg, "point")).toBe(6);
    expect(svg).toContain("log scale");
    const table = condTableRows(rows.map((r) => ({ ...r, init: r.init === "LegS" ? "HiPPO-LegS" : "WaLRUS (reduced M)" })));
    expect(table.map((r) => r.N)).toEqual([8, 16, 32]);
    expect(table[0]["WaLRUS (reduced M) cond V"]).toBe("4.0 (4.0)");
    expect(table[1]["HiPPO-LegS cond V"]).toBe("2.2e+5 (8.3e+10)");
    expect(table[2]["LegS / WaLRUS"]).toBe((10 ** (32 / 3) / 16).toExponential(1));
    const vis = await chartToSvg(unitVisibilityChart(cases));
    // Natural-rank case skipped; N = 8 has measured, §5.2 and ε; N = 10 has measured and ε.
    expect(count(vis, "line mark")).toBe(3);
    expect(count(vis, "point")).toBe(5);
  });
});

describe("basis, frame and kernel builders (notebook 02)", () => {
  it("LegS closed form matches e^{tA}B to 1e-12 and the overlay draws both sources", async () => {
    const times = Array.from({ length: 31 }, (_, i) => i * 0.2);
    const basis = tossmBasis(hippoLegS(6), times);
    const closed = legsTossmClosedForm(6, times);
    expect(maxAbsDiff(basis, closed)).toBeLessThan(1e-12);
    const svg = await chartToSvg(basisChart(times, basis, [0, 2, 5], { reference: closed, title: "LegS" }));
    expect(count(svg, "line mark")).toBe(6);
    const plain = await chartToSvg(basisChart(times, basis, [1, 3]));
    expect(count(plain, "line mark")).toBe(2);
  });

  it("frame elements: one line per chosen element, G/stride + 1 points each (x = 0 … 1, gregory samples both ends); bad index throws", async () => {
    const frame = waveletFrame({ wavelet: "db2", sMin: 1, sMax: 2, eta: 0.25, grid: 256 });
    const idx = spreadIndices(frame.rows.length, 3);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(frame.rows.length - 1);
    const spec = frameElementsChart(frame, idx, { stride: 8 });
    const values = (spec as { data: { values: { x: number }[] } }).data.values;
    expect(values.length).toBe(idx.length * 33);
    expect(values.filter((v) => v.x === 1).length).toBe(idx.length);
    const svg = await chartToSvg(spec);
    expect(count(svg, "line mark")).toBe(idx.length);
    expect(() => frameElementsChart(frame, [frame.rows.length])).toThrow(ParameterError);
    expect(() => spreadIndices(0, 2)).toThrow(/count/);
    // Two elements of each (kind, scale) group: father s=2, mothers s=2 and s=1.
    const sample = sampleFrameElements(frame, 2);
    const groups = sample.map((n) => `${frame.elements[n].kind}${frame.elements[n].s}`);
    expect(groups).toEqual(["father2", "father2", "mother2", "mother2", "mother1", "mother1"]);
  });

  it("kernels: one panel per init, one line per dt, normalized to max |K| = 1", async () => {
    const series = ["a", "b"].flatMap((init, j) => [0.1, 0.01].map((dt) => ({ init, dt, K: Array.from({ length: 20 }, (_, l) => (j + 1) * 7 * Math.exp(-dt * l)) })));
    const spec = kernelsChart(series);
    const vals = (spec as { data: { values: { K: number }[] } }).data.values;
    expect(vals.length).toBe(4 * 20);
    expect((kernelsChart(series, { stride: 4 }) as { data: { values: unknown[] } }).data.values.length).toBe(4 * 5);
    expect(Math.max(...vals.map((v) => Math.abs(v.K)))).toBeCloseTo(1, 15);
    const svg = await chartToSvg(spec);
    expect(count(svg, "line mark")).toBe(4);
    expect(() => kernelsChart(series, { stride: 0 })).toThrow(/stride/);
  });
});
