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
import { THEOREM1_REFERENCE, THEOREM1_REFERENCE_RTOL } from "../src/paper/theorem1.js";
import { ParameterError } from "../src/errors.js";

// The rendered SVG is read back through vega's accessibility attributes: every mark carries
// aria-roledescription (its kind) and aria-label "field: value; …" (its first datum), axes and legends
// an aria-label describing their title, scale and domain. Path geometry gives the plotted positions.

const count = (svg: string, role: string) => (svg.match(new RegExp(`aria-roledescription="${role}"`, "g")) ?? []).length;
/** vega writes minus signs as U+2212. */
const num = (s: string) => Number(s.replace(/\u2212/g, "-"));

interface Mark {
  /** The aria-label's "field: value" pairs. */
  fields: Record<string, string>;
  /** Vertices of a line's path (pixels, relative to its panel). */
  vertices: [number, number][];
  /** translate(x, y) of a symbol or rule. */
  at: [number, number];
  stroke?: string;
  fill?: string;
}

/** Every mark of one kind ("point", "line mark", "rule mark"), in document order. */
function marks(svg: string, role: string): Mark[] {
  const tags = svg.match(new RegExp(`<(?:path|line)\\b[^>]*aria-roledescription="${role}"[^>]*>`, "g")) ?? [];
  return tags.map((tag) => {
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
    const fields = Object.fromEntries((attr("aria-label") ?? "").split("; ").map((kv) => [kv.slice(0, kv.indexOf(": ")), kv.slice(kv.indexOf(": ") + 2)]));
    const vertices = [...(attr("d") ?? "").matchAll(/[ML](-?[\d.e-]+),(-?[\d.e-]+)/g)].map((m) => [Number(m[1]), Number(m[2])] as [number, number]);
    const t = /translate\((-?[\d.e-]+),(-?[\d.e-]+)\)/.exec(attr("transform") ?? "");
    return { fields, vertices, at: t ? [Number(t[1]), Number(t[2])] : [0, 0], stroke: attr("stroke"), fill: attr("fill") };
  });
}

/** An axis's title, scale type and domain, from its aria-label. */
function axis(svg: string, which: "X" | "Y"): { title: string; scale: string; from: number; to: number } {
  const m = new RegExp(`aria-label="${which}-axis titled '([^']*)' for a (\\w+) scale with values from (\\S+) to (\\S+)"`).exec(svg);
  if (!m) throw new Error(`no ${which} axis`);
  return { title: m[1], scale: m[2], from: num(m[3]), to: num(m[4]) };
}

/** The legend's listed values ("Symbol legend for … with 2 values: a, b"). */
const legendValues = (svg: string) => [...svg.matchAll(/aria-roledescription="legend" aria-label="[^"]* values?: ([^"]*)"/g)].map((m) => m[1].split(", "));
const titles = (svg: string) => [...svg.matchAll(/aria-label="Title text '([^']*)'"/g)].map((m) => m[1]);
/** Pixel y (0 at the top of a panel of height h) back to data, for a linear y axis over [from, to]. */
const dataY = (py: number, h: number, a: { from: number; to: number }) => a.to - (py / h) * (a.to - a.from);
/** The <g> elements whose class is "mark-group role-scope <cls>" (whole, nesting-aware), or their direct children (facet cells). */
function groups(svg: string, cls: string, o: { children?: boolean } = {}): string[] {
  const out: string[] = [];
  for (const m of svg.matchAll(new RegExp(`<g class="mark-group role-scope ${cls}"`, "g"))) {
    const tags = /<g\b[^>]*?(\/?)>|<\/g>/g;
    tags.lastIndex = m.index!;
    let depth = 0, childStart = -1;
    for (let t = tags.exec(svg); t; t = tags.exec(svg)) {
      if (t[0] === "</g>") {
        depth--;
        if (depth === 1 && o.children) out.push(svg.slice(childStart, tags.lastIndex));
        if (depth === 0) {
          if (!o.children) out.push(svg.slice(m.index!, tags.lastIndex));
          break;
        }
      } else if (!t[1]) {
        if (depth === 1) childStart = t.index;
        depth++;
      }
    }
  }
  return out;
}

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

  it("knobsLabel: \"<init> N=<N>\"; walrus adds wavelet and η (defaults db11, 0.01) and the scale range; an explicit label wins", () => {
    expect(knobsLabel(legs)).toBe("legs N=8");
    expect(knobsLabel({ init: "walrus", N: 16, dt: 0.01, disc: "zoh" })).toBe("walrus N=16 db11 η=0.01");
    expect(knobsLabel({ ...wal, sMin: -1 })).toBe("walrus N=8 db4 η=0.02 s∈[-1,3]");
    expect(knobsLabel(wal)).toBe("walrus N=8 db4 η=0.02");
    expect(knobsLabel({ ...wal, sMax: 2 })).toBe("walrus N=8 db4 η=0.02 s∈[auto,2]");
    expect(knobsLabel({ ...legs, label: "mine" })).toBe("mine");
  });

  it("rejects bad knobs with a ParameterError naming the knob", () => {
    const badKnob = (k: PlaygroundKnobs) => {
      try {
        buildFromKnobs(k);
      } catch (e) {
        expect(e).toBeInstanceOf(ParameterError);
        return (e as ParameterError).parameter;
      }
      return "accepted";
    };
    expect(badKnob({ ...legs, init: "nope" })).toBe("init");
    expect(badKnob({ ...legs, dt: 0 })).toBe("dt");
    expect(badKnob({ ...legs, disc: "euler" as never })).toBe("disc");
    expect(badKnob({ ...legs, N: 0 })).toBe("N");
    expect(badKnob(legs)).toBe("accepted");
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
  it("LegS: real eigenvalues −1..−N, ill-conditioned eigenvectors (cond V = 7.7e4 at N = 8, walrus-math §5.2)", () => {
    const s = spectrumSummary(buildFromKnobs(legs));
    expect(s.eigenvalues).toBe(8);
    expect(s.real).toBe(8);
    expect(s.complexPairs).toBe(0);
    expect(s.maxRe).toBeCloseTo(-1, 8);
    expect(s.minRe).toBeCloseTo(-8, 8);
    expect(s.maxAbsIm).toBeLessThan(1e-8);
    expect(Math.abs(s.condV / THEOREM1_REFERENCE[8].condVLegS - 1)).toBeLessThan(THEOREM1_REFERENCE_RTOL);
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

  it("WaLRUS db11: N = 8 eigenvalues in 4 stable complex pairs, cond V = 4.0 (walrus-math §5.2 reduced A)", () => {
    const s = spectrumSummary(buildFromKnobs({ ...wal, wavelet: "db11", eta: 0.01 }));
    expect(s.eigenvalues).toBe(8);
    expect(s.real).toBe(0);
    expect(s.complexPairs).toBe(4);
    expect(s.maxRe).toBeLessThan(0);
    expect(Math.abs(s.condV / THEOREM1_REFERENCE[8].condVReduced - 1)).toBeLessThan(THEOREM1_REFERENCE_RTOL);
  });
});

describe("charts and rows", () => {
  it("peakLag: index of the largest |K_l|, sign ignored, the first of equal peaks", () => {
    expect(peakLag([0.1, -0.5, 0.3, 0.49])).toBe(1);
    expect(peakLag([0.1, 0.2, -0.7])).toBe(2);
    expect(peakLag([0.3, -0.6, 0.6])).toBe(1);
    expect(peakLag([2])).toBe(0);
  });

  it("sideBySide: two panels, each with its own 8 eigenvalue symbols at (Re λ, Im λ), its own legend, one overall title", async () => {
    const s = spectrumSummary(buildFromKnobs(lin));
    const spec = sideBySide([spectrumChart(eigenPoints(s.eig, "a")), spectrumChart(eigenPoints(s.eig, "b"))], "two");
    expect((spec as { hconcat: unknown[] }).hconcat).toHaveLength(2);
    const svg = await chartToSvg(spec);
    expect(count(svg, "point")).toBe(16);
    expect(titles(svg)).toEqual(["two"]);
    const want = Array.from(s.eig.re, (re, i) => [re, s.eig.im[i]]).sort((a, b) => a[1] - b[1]);
    const parts = groups(svg, "concat_\\d+_group");
    expect(parts).toHaveLength(2);
    parts.forEach((part, k) => {
      const kind = ["a", "b"][k];
      const pts = marks(part, "point");
      expect(pts.map((p) => p.fields.kind)).toEqual(new Array(8).fill(kind));
      // aria-labels print 12 significant digits
      const got = pts.map((p) => [num(p.fields["Re λ"]), num(p.fields["Im λ"])]).sort((a, b) => a[1] - b[1]);
      got.forEach(([re, im], i) => {
        expect(re).toBeCloseTo(want[i][0], 10);
        expect(im).toBeCloseTo(want[i][1], 10);
      });
      // Symbols sit at Im λ on the panel's y axis (default height 300).
      const y = axis(part, "Y");
      expect(y.title).toBe("Im λ");
      for (const p of pts) expect(dataY(p.at[1], 300, y)).toBeCloseTo(num(p.fields["Im λ"]), 6);
      expect(legendValues(part)).toEqual([[kind]]);
    });
    expect(() => sideBySide([])).toThrow(RangeError);
  });

  it("kernelPanelsChart: one panel per init, one line per variant, each curve plotted divided by its own max |K|", async () => {
    const curves = [
      { panel: "p", line: "x", K: [2, -4, 1] },
      { panel: "p", line: "y", K: [1, 3, -1.5] },
      { panel: "q", line: "x", K: [0, 0, 0] },
    ];
    const want: Record<string, number[]> = { "p x": [0.5, -1, 0.25], "p y": [1 / 3, 1, -0.5], "q x": [0, 0, 0] };
    const spec = kernelPanelsChart(curves, { width: 200, height: 100 }) as unknown as { data: { values: { K: number; init: string; variant: string }[] } };
    for (const [key, K] of Object.entries(want))
      expect(spec.data.values.filter((r) => `${r.init} ${r.variant}` === key).map((r) => r.K)).toEqual(K);
    const svg = await chartToSvg(spec as never);
    expect(legendValues(svg)).toEqual([["x", "y"]]);
    const cells = groups(svg, "cell", { children: true });
    expect(cells.map(titles)).toEqual([["p"], ["q"]]);
    const strokes: Record<string, string | undefined> = {};
    cells.forEach((cell, c) => {
      const panel = ["p", "q"][c];
      const lines = marks(cell, "line mark");
      expect(lines.map((l) => l.fields.variant)).toEqual(panel === "p" ? ["x", "y"] : ["x"]);
      const y = axis(cell, "Y");
      expect(y.title).toBe("K_l / max|K|");
      for (const line of lines) {
        const K = want[`${panel} ${line.fields.variant}`];
        expect(num(line.fields["K_l / max|K|"])).toBeCloseTo(K[0], 12);
        expect(line.vertices.map(([x]) => x)).toEqual([0, 100, 200]);
        // vega rounds path coordinates to 1e-3 px: 1e-5 of a 100 px, 2-unit axis.
        if (y.to > y.from) line.vertices.forEach(([, py], l) => expect(Math.abs(dataY(py, 100, y) - K[l])).toBeLessThan(1e-4));
        else expect(new Set(line.vertices.map(([, py]) => py)).size).toBe(1); // the all-zero curve: flat
        strokes[`${panel} ${line.fields.variant}`] = line.stroke;
      }
    });
    // One colour per variant across panels.
    expect(strokes["p x"]).toBe(strokes["q x"]);
    expect(strokes["p y"]).not.toBe(strokes["p x"]);
  });

  it("comparisonRow: label, eigenvalue counts, max Re λ, cond(V) as 3-digit text (∞ when singular), extras verbatim", () => {
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
    expect(r["at dt"]).toBe(0.003);
    expect(r["test acc"]).toBe(0.25);
    const bare = comparisonRow(lin, { ...s, condV: Infinity });
    expect(bare["cond(V)"]).toBe("∞");
    expect(bare.init).toBe("s4d-lin N=8");
    expect([bare["best delay log10 MSE"], bare["at dt"], bare["test acc"]]).toEqual([undefined, undefined, undefined]);
  });
});

describe("delay chart and kernel length", () => {
  it("delayCurvesChart: one line per init through its (dt, log10 MSE) points on a log dt axis, a rule in the init's colour at each knob dt", async () => {
    const input = [
      { label: "a", knobDt: 0.01, points: [{ dt: 0.001, log10mse: -1 }, { dt: 0.01, log10mse: -2 }] },
      { label: "b", points: [{ dt: 0.001, log10mse: -1.5 }, { dt: 0.01, log10mse: -1.2 }] },
    ];
    const spec = delayCurvesChart(input, "t") as unknown as { layer: { data: { values: unknown[] } }[] };
    expect(spec.layer[0].data.values).toHaveLength(4);
    expect(spec.layer[1].data.values).toEqual([{ dt: 0.01, init: "a" }]);
    const svg = await chartToSvg(spec as never);
    expect(titles(svg)).toEqual(["t"]);
    expect(legendValues(svg)).toEqual([["a", "b"]]);
    const x = axis(svg, "X"), y = axis(svg, "Y");
    expect([x.title, x.scale, x.from, x.to]).toEqual(["dt", "log", 1e-3, 1e-2]);
    expect([y.title, y.scale]).toEqual(["log10 MSE", "linear"]);
    const lines = marks(svg, "line mark");
    expect(lines.map((l) => l.fields.init)).toEqual(["a", "b"]);
    expect(lines[0].stroke).not.toBe(lines[1].stroke);
    const colour = Object.fromEntries(lines.map((l) => [l.fields.init, l.stroke]));
    // Points: the input values, in the line's colour, at the right place (460 × 260 plot, log x).
    const pts = marks(svg, "point");
    expect(pts.map((p) => [p.fields.init, num(p.fields.dt), num(p.fields["log10 MSE"])])).toEqual(
      input.flatMap((c) => c.points.map((p) => [c.label, p.dt, p.log10mse])),
    );
    for (const p of pts) {
      expect(p.fill).toBe(colour[p.fields.init]);
      expect(p.at[0]).toBeCloseTo((Math.log10(num(p.fields.dt) / x.from) / Math.log10(x.to / x.from)) * 460, 6);
      expect(dataY(p.at[1], 260, y)).toBeCloseTo(num(p.fields["log10 MSE"]), 9);
    }
    for (const l of lines) expect(l.vertices).toEqual(pts.filter((p) => p.fields.init === l.fields.init).map((p) => p.at.map((v) => Math.round(v * 1000) / 1000)));
    const rules = marks(svg, "rule mark");
    expect(rules.map((r) => r.fields)).toEqual([{ dt: "0.01", init: "a" }]);
    expect(rules[0].stroke).toBe(colour.a);
    expect(rules[0].at[0]).toBeCloseTo(460, 6);
  });

  it("kernelLength: round(span/dt) with span 3 by default, clamped to [50, 4000]", () => {
    expect(kernelLength(0.01)).toBe(300);
    expect(kernelLength(0.003)).toBe(1000);
    expect(kernelLength(1)).toBe(50);
    expect(kernelLength(1e-5)).toBe(4000);
    expect(kernelLength(0.01, { span: 6 })).toBe(600);
    expect(() => kernelLength(0)).toThrow(ParameterError);
  });
});
