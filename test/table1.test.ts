// W4S4 Table 1 machinery: the multi-sequence readout is the ridge optimum of the stacked design
// matrix; scores on synthetic sets behave as the maths says.
import { describe, expect, it, beforeAll } from "vitest";
import { initBackend } from "../src/backend.js";
import { denseInit } from "../src/ssm/registry.js";
import { discretize } from "../src/ssm/discretize.js";
import { denseStates, delayTargets } from "../src/tasks/delayStates.js";
import { ridgeCholesky } from "../src/tasks/ridge.js";
import { ar1Noise } from "../src/tasks/signals.js";
import { mulberry32 } from "../src/random.js";
import { fitReadout, readoutMse, table1ForSet, windowsFromSeries, type SequenceSet } from "../src/tasks/table1.js";

beforeAll(async () => {
  await initBackend({ backend: "cpu" });
});

describe("table 1", () => {
  const ssm = denseInit("walrus", { N: 16 });
  const seqs = [ar1Noise(200, 1), ar1Noise(200, 2), ar1Noise(200, 3)];

  it("summed normal equations give the ridge optimum of the stacked design matrix", () => {
    const D = 40, dt = 1 / D;
    const C = fitReadout(ssm, dt, D, seqs, "bilinear", 1e-10);
    const sys = discretize(ssm, dt, "bilinear");
    const parts = seqs.map((u) => ({ X: denseStates(sys, u, D), y: delayTargets(u, D) }));
    const rows = parts.reduce((s, p) => s + p.X.rows, 0);
    const data = new Float64Array(rows * 16), y = new Float64Array(rows);
    let r = 0;
    for (const p of parts) { data.set(p.X.data, r * 16); y.set(p.y, r); r += p.X.rows; }
    const ref = ridgeCholesky({ data, rows, cols: 16 }, y, 1e-10);
    for (let j = 0; j < 16; j++) expect(C[j]).toBeCloseTo(ref.C[j], 8);
    // The mean of per-sequence MSEs equals the stacked MSE here (equal lengths).
    expect(readoutMse(ssm, dt, D, C, seqs, "bilinear")).toBeCloseTo(ref.mse, 10);
  });

  it("windows a series by time without overlap (70/15/15)", () => {
    const x = Float64Array.from({ length: 1000 }, (_, i) => i);
    const w = windowsFromSeries(x, 100);
    expect([w.train.length, w.val.length, w.test.length]).toEqual([7, 1, 2]);
    expect(w.val[0][0]).toBe(700);
    expect(() => windowsFromSeries(x, 400)).toThrow(/L/);
  });

  it("scores both inits on a real set and picks Δ on validation", async () => {
    const w = windowsFromSeries(ar1Noise(4000, 7), 200);
    const set: SequenceSet = { name: "ar1", row: "synthetic", standsInFor: "-", kind: "real", ...w };
    const cells = await table1ForSet(set, { N: 16, dtMultiples: [0.3, 1, 3], b: "native" });
    expect(cells.map((c) => c.init)).toEqual(["legs", "walrus"]);
    for (const c of cells) {
      expect(c.delay).toBe(50);
      expect(c.curve).toHaveLength(3);
      const best = Math.min(...c.curve.map((p) => p.valLog10Mse));
      expect(c.curve.find((p) => p.dt === c.bestDt)!.valLog10Mse).toBe(best);
      expect(c.test).toBeLessThan(0); // better than predicting the mean (log10 1 = 0 for unit variance)
      expect(c.test).toBeGreaterThan(-4);
    }
  });

  it("reaches a low cross-entropy on a predictable byte stream and rejects ragged sets", async () => {
    const r = mulberry32(3);
    const mk = () => Float64Array.from({ length: 64 }, (_, i) => [104, 101, 108, 108, 111][i % 5] + (r() < 0 ? 1 : 0));
    const set: SequenceSet = { name: "bytes", row: "Texts", standsInFor: "-", kind: "bytes", train: [mk(), mk(), mk(), mk()], val: [mk()], test: [mk()] };
    const [c] = await table1ForSet(set, { N: 16, inits: ["walrus"], dtMultiples: [1], textSteps: 200 });
    expect(c.metric).toBe("crossEntropy");
    expect(c.test).toBeLessThan(0.3); // ln 3 ≈ 1.1 would be guessing among the three letters
    await expect(table1ForSet({ ...set, test: [new Float64Array(10)] })).rejects.toThrow(/set\.test\[0\]/);
  });
});

describe("table 1 data per row", () => {
  it("builds every row's sequences from its stand-in at the planned sizes", async () => {
    const { table1Set, TABLE1_ROWS, TABLE1_PLAN } = await import("../src/tasks/table1Sets.js");
    for (const row of TABLE1_ROWS) {
      const s = await table1Set(row, "small");
      const p = TABLE1_PLAN[row].small;
      expect(s.row).toBe(row);
      expect([s.train.length, s.val.length, s.test.length], row).toEqual([p.train, p.val, p.test]);
      for (const u of [...s.train, ...s.val, ...s.test]) expect(u.length).toBe(p.L);
      expect(s.standsInFor.length).toBeGreaterThan(10);
    }
    const t = await table1Set("Texts", "small");
    expect(t.kind).toBe("bytes");
    for (const u of t.train) expect(Math.max(...u)).toBeLessThan(256); // whole documents, no padding
    // BIDMC windows are consecutive 1000-sample stretches of the ECG (train first, by time).
    const e = await table1Set("BIDMC", "small");
    const { loadSeries } = await import("../src/datasets/index.js");
    expect(Array.from(e.train[1].subarray(0, 3))).toEqual(Array.from(loadSeries("ecg").values.subarray(1000, 1003)));
  }, 120_000);
});
