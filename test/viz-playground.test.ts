import { describe, expect, it } from "vitest";
import { chartToSvg } from "../src/viz/chart.js";
import {
  buildFromKnobs,
  comparisonRow,
  delayCurvesChart,
  kernelLength,
  frozenAOf,
  initOptionsOf,
  kernelPanelsChart,
  knobsLabel,
  modelOverrides,
  peakLag,
  sideBySide,
  spectrumSummary,
  type PlaygroundKnobs,
} from "../src/viz/playground.js";
import { spectrumChart, eigenPoints } from "../src/viz/basicCharts.js";
import { ParameterError } from "../src/errors.js";

const count = (svg: string, role: string) => (svg.match(new RegExp(`aria-roledescription="${role}"`, "g")) ?? []).length;

const legs: PlaygroundKnobs = { init: "legs", N: 8, dt: 0.01, disc: "bilinear" };
const wal: PlaygroundKnobs = { init: "walrus", N: 8, wavelet: "db4", eta: 0.02, dt: 0.01, disc: "zoh" };
const lin: PlaygroundKnobs = { init: "s4d-lin", N: 8, dt: 0.01, disc: "bilinear" };

describe("playground knobs", () => {
  it("passes the wavelet knobs to walrus only", () => {
    expect(initOptionsOf(wal)).toEqual({ wavelet: "db4", eta: 0.02 });
    expect(initOptionsOf({ ...legs, wavelet: "db4", eta: 0.5 } as PlaygroundKnobs)).toEqual({});
    const w = buildFromKnobs(wal);
    expect(w.N).toBe(8);
    expect((w as unknown as { frame: { wavelet: string; eta: number } }).frame).toMatchObject({ wavelet: "db4", eta: 0.02 });
  });

  it("labels", () => {
    expect(knobsLabel(legs)).toBe("legs N=8");
    expect(knobsLabel(wal)).toBe("walrus N=8 db4 η=0.02");
    expect(knobsLabel({ ...wal, sMax: 2 })).toBe("walrus N=8 db4 η=0.02 s∈[auto,2]");
    expect(knobsLabel({ ...legs, label: "mine" })).toBe("mine");
  });

  it("rejects bad knobs with a ParameterError", () => {
    expect(() => buildFromKnobs({ ...legs, init: "nope" })).toThrow(ParameterError);
    expect(() => buildFromKnobs({ ...legs, dt: 0 })).toThrow(ParameterError);
    expect(() => buildFromKnobs({ ...legs, disc: "euler" as never })).toThrow(ParameterError);
    expect(() => buildFromKnobs({ ...legs, N: 0 })).toThrow(ParameterError);
  });

  it("model overrides: N, disc, Δ one decade either side of dt; frozen A for walrus", () => {
    const m = modelOverrides(wal);
    expect(m.dState).toBe(8);
    expect(m.disc).toBe("zoh");
    expect(m.dtMin).toBeCloseTo(1e-3, 15);
    expect(m.dtMax).toBeCloseTo(1e-1, 15);
    expect(m.initOptions).toEqual({ wavelet: "db4", eta: 0.02 });
    expect(frozenAOf(wal)).toBe(true);
    expect(frozenAOf(legs)).toBe(false);
    expect(frozenAOf({ ...wal, frozenA: false })).toBe(false);
  });
});

describe("spectrumSummary", () => {
  it("LegS: real eigenvalues −1..−N, ill-conditioned eigenvectors", () => {
    const s = spectrumSummary(buildFromKnobs(legs));
    expect(s.eigenvalues).toBe(8);
    expect(s.real).toBe(8);
    expect(s.complexPairs).toBe(0);
    expect(s.maxRe).toBeCloseTo(-1, 8);
    expect(s.minRe).toBeCloseTo(-8, 8);
    expect(s.maxAbsIm).toBeLessThan(1e-8);
    expect(s.condV).toBeGreaterThan(1e3);
  });

  it("S4D-Lin: −½ ± iπn, n < N/2 (n = 0 gives a real double eigenvalue), orthogonal eigenvectors", () => {
    const s = spectrumSummary(buildFromKnobs(lin));
    expect(s.eigenvalues).toBe(8);
    expect(s.real).toBe(2);
    expect(s.complexPairs).toBe(3);
    expect(s.maxRe).toBeCloseTo(-0.5, 10);
    expect(s.minRe).toBeCloseTo(-0.5, 10);
    expect(s.maxAbsIm).toBeCloseTo(3 * Math.PI, 8);
    expect(s.condV).toBeCloseTo(1, 8);
  });

  it("WaLRUS: stable complex pairs, well conditioned", () => {
    const s = spectrumSummary(buildFromKnobs({ ...wal, wavelet: "db11", eta: 0.01 }));
    expect(s.complexPairs).toBe(4);
    expect(s.maxRe).toBeLessThan(0);
    expect(s.condV).toBeLessThan(100);
  });
});

describe("charts and rows", () => {
  it("peakLag", () => {
    expect(peakLag([0.1, -0.5, 0.3, 0.49])).toBe(1);
    expect(peakLag([2])).toBe(0);
  });

  it("sideBySide renders both charts", async () => {
    const s = spectrumSummary(buildFromKnobs(lin));
    const spec = sideBySide([spectrumChart(eigenPoints(s.eig, "a")), spectrumChart(eigenPoints(s.eig, "b"))], "two");
    expect((spec as { hconcat: unknown[] }).hconcat).toHaveLength(2);
    const svg = await chartToSvg(spec);
    expect(count(svg, "point")).toBe(16);
    expect(() => sideBySide([])).toThrow(RangeError);
  });

  it("kernelPanelsChart normalizes each curve by its max |K|", async () => {
    const spec = kernelPanelsChart([
      { panel: "p", line: "x", K: [2, -4, 1] },
      { panel: "q", line: "x", K: [0, 0, 0] },
    ]) as unknown as { data: { values: { K: number; init: string }[] } };
    expect(spec.data.values.filter((r) => r.init === "p").map((r) => r.K)).toEqual([0.5, -1, 0.25]);
    expect(spec.data.values.filter((r) => r.init === "q").map((r) => r.K)).toEqual([0, 0, 0]);
    const svg = await chartToSvg(spec as never);
    expect(svg.length).toBeGreaterThan(1000);
  });

  it("comparisonRow", () => {
    const s = spectrumSummary(buildFromKnobs(legs));
    const r = comparisonRow(legs, s, { bestDelayLog10mse: -1.5, bestDelayDt: 0.003, testAcc: 0.25 });
    expect(r.init).toBe("legs N=8");
    expect(r.N).toBe(8);
    expect(r.eigenvalues).toBe(8);
    expect(r["real / pairs"]).toBe("8 / 0");
    expect(r["max Re λ"]).toBeCloseTo(-1, 8);
    expect(r["cond(V)"]).toBe(s.condV.toExponential(2));
    expect(Number(r["cond(V)"])).toBeGreaterThan(1e3);
    expect(r["best delay log10 MSE"]).toBe(-1.5);
    expect(r["test acc"]).toBe(0.25);
  });
});

describe("delay chart and kernel length", () => {
  it("delayCurvesChart: one line per init and a rule at each knob dt", async () => {
    const spec = delayCurvesChart([
      { label: "a", knobDt: 0.01, points: [{ dt: 0.001, log10mse: -1 }, { dt: 0.01, log10mse: -2 }] },
      { label: "b", points: [{ dt: 0.001, log10mse: -1.5 }, { dt: 0.01, log10mse: -1.2 }] },
    ], "t") as unknown as { layer: { data: { values: unknown[] } }[] };
    expect(spec.layer[0].data.values).toHaveLength(4);
    expect(spec.layer[1].data.values).toEqual([{ dt: 0.01, init: "a" }]);
    const svg = await chartToSvg(spec as never);
    expect(count(svg, "line mark")).toBe(2);
    expect(count(svg, "point")).toBe(4);
    expect(count(svg, "rule mark")).toBe(1);
  });

  it("kernelLength", () => {
    expect(kernelLength(0.01)).toBe(300);
    expect(kernelLength(0.003)).toBe(1000);
    expect(kernelLength(1)).toBe(50);
    expect(kernelLength(1e-5)).toBe(4000);
    expect(kernelLength(0.01, { span: 6 })).toBe(600);
    expect(() => kernelLength(0)).toThrow(ParameterError);
  });
});
