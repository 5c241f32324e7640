// src/paper: the paper's numbers and the verdict rules that compare our runs with them. Each rule is
// tested at its thresholds, so moving a boundary (or > vs >=) fails here.
import { describe, expect, it } from "vitest";
import { accuracyRows, classificationPaperResults, notRunResult } from "../src/paper/classification.js";
import { table1Rows, TABLE1_PAPER } from "../src/paper/table1.js";
import { delayFindings, delayPaperResults, delayWins, fig1Verdict, FIG1_GAP_DECADES, NO_GAP_DECADES } from "../src/paper/fig1.js";
import { theorem1Matches, theorem1PaperResults, THEOREM1_REFERENCE } from "../src/paper/theorem1.js";
import type { Table1Cell } from "../src/tasks/table1.js";
import type { DelaySweepRow } from "../src/tasks/delayStudies.js";
import type { Theorem1Case, Theorem1Report } from "../src/ssm/theorem1.js";

const cell = (set: string, row: string, init: string, test: number, metric: Table1Cell["metric"] = "log10mse"): Table1Cell => ({
  set, row, init, b: "ones", N: 64, L: 784, delay: 196, bestDt: 0.005, curve: [], metric, test, nTrain: 10, nTest: 5,
});

describe("Table 1 and Tables 2–3", () => {
  it("table1Rows: MSE ratio 10^(HiPPO − WaLRUS) beside the paper's, verdicts from the numbers", () => {
    const rows = table1Rows([
      cell("fmnist", "s-CIFAR", "legs", -1.2), cell("fmnist", "s-CIFAR", "walrus", -1.5),
      cell("ecg", "BIDMC", "legs", -1.0), cell("ecg", "BIDMC", "walrus", -0.9),
      cell("text", "Texts", "legs", 1.5, "crossEntropy"), cell("text", "Texts", "walrus", 1.25, "crossEntropy"),
    ]);
    expect(rows[0]["gain ours"]).toBeCloseTo(10 ** 0.3, 3);
    expect(rows[0]["gain paper"]).toBeCloseTo(10 ** (1.351 - 1.175), 3);
    expect(rows[0].verdict).toMatch(/WaLRUS better, ×2\.00 vs the paper's ×1\.50/);
    expect(rows[1].verdict).toMatch(/not reproduced/);
    expect(rows[2]["gain ours"]).toBeCloseTo(0.25, 6);
    expect(rows[2].metric).toMatch(/cross-entropy/);
  });

  it("accuracyRows: mean ± sample std in percent with the paper's number", () => {
    const rows = accuracyRows([
      { task: "text", label: "S4D-Inv", seed: 0, testAcc: 0.8, params: 100, seconds: 2 },
      { task: "text", label: "S4D-Inv", seed: 1, testAcc: 0.9, params: 100, seconds: 4 },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]["test acc % (mean)"]).toBe(85);
    expect(rows[0]["± std"]).toBeCloseTo(7.07, 2);
    expect(rows[0].paper).toBe(87.34);
    expect(rows[0]["train s / run"]).toBe(3);
  });

  it("accuracyRows: the PyTorch reference column is the mean over seeds, and only when every seed has one", () => {
    const r = (seed: number, testAcc: number, refAcc?: number) => ({ task: "text", label: "S4D-Inv", seed, testAcc, params: 1, seconds: 1, refAcc });
    expect(accuracyRows([r(0, 0.8, 0.7), r(1, 0.9, 0.8)])[0]["PyTorch ref % (mean)"]).toBe(75);
    expect(accuracyRows([r(0, 0.8, 0.7), r(1, 0.9)])[0]["PyTorch ref % (mean)"]).toBeNull();
    expect(classificationPaperResults([r(0, 0.8, 0.7), r(1, 0.9, 0.8)], {})[0].ours).toBe("S4D-Inv 85% (PyTorch reference, same recipe: 75%)");
  });

  it("referenceAccuracy: uses a parity run only when its ours equals this run exactly (else stale), says how to make one", async () => {
    const { referenceAccuracy } = await import("../src/tasks/parityReference.js");
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const d = mkdtempSync(join(tmpdir(), "w4s4-parity-"));
    expect(referenceAccuracy("text", "default", "walrus", 0, 0.5, d)).toMatchObject({ status: "missing", reason: expect.stringContaining("npm run parity -- --task text --size default") });
    writeFileSync(join(d, "parity.json"), JSON.stringify({ task: "text", size: "default", torch: "1.13 cpu float64", rows: [{ init: "walrus", seed: 0, ours: { testAcc: 0.625 }, ref: { testAcc: 0.63 } }] }));
    expect(referenceAccuracy("text", "default", "walrus", 0, 0.625, d)).toEqual({ status: "ok", refAcc: 0.63, torch: "1.13 cpu float64" });
    expect(referenceAccuracy("text", "default", "walrus", 0, 0.6251, d).status).toBe("stale");
    expect(referenceAccuracy("text", "default", "walrus", 1, 0.625, d).status).toBe("missing");
  });

  it("table1Rows: a gain within 1 % of none (0.005 nats for text) is no difference", () => {
    const r = (h: number, w: number, metric: Table1Cell["metric"] = "log10mse") =>
      table1Rows([cell("s", metric === "log10mse" ? "M4" : "Texts", "legs", h, metric), cell("s", metric === "log10mse" ? "M4" : "Texts", "walrus", w, metric)])[0].verdict;
    expect(r(-1, -1 - Math.log10(1.009))).toBe("no meaningful difference here");
    expect(r(-1, -1 - Math.log10(1.011))).toMatch(/^WaLRUS better, ×1\.01 vs the paper's ×/);
    expect(r(1, 0.996, "crossEntropy")).toBe("no meaningful difference here");
    expect(r(1, 0.994, "crossEntropy")).toMatch(/^WaLRUS better, gap 0\.006 vs the paper's 0\.104 nats/);
    expect(r(-1, -0.98)).toBe("not reproduced: WaLRUS not better here");
    expect(TABLE1_PAPER.Texts.metric).toBe("crossEntropy");
  });

  it("classification: the paper's numbers per task, ties within 0.5 points, W4S4 best", () => {
    const run = (label: string, acc: number, seed = 0) => ({ task: "text", label, seed, testAcc: acc, params: 1, seconds: 1 });
    const tie = classificationPaperResults([run("W4S4 (WaLRUS, frozen A)", 0.800), run("S4D-Inv", 0.796)], { text: "IMDB" });
    expect(tie[0].paper).toBe("W4S4 (WaLRUS, frozen A) 88.55%; S4D-Inv 87.34%");
    expect(tie[0].verdict).toBe("not comparable (substitute data, small model); here a tie within 0.5 points (W4S4 (WaLRUS, frozen A), S4D-Inv)");
    const win = classificationPaperResults([run("W4S4 (WaLRUS, frozen A)", 0.81), run("S4D-Inv", 0.80)], {});
    expect(win[0].verdict).toMatch(/here W4S4 is best$/);
    const lose = classificationPaperResults([run("W4S4 (WaLRUS, frozen A)", 0.79), run("S4D-Inv", 0.80)], {});
    expect(lose[0].verdict).toMatch(/here S4D-Inv is best$/);
    expect(notRunResult("keywords", "too slow").paper).toBe("W4S4 (WaLRUS, frozen A) 94.37%; S4-LegS 93.6%");
    expect(notRunResult("fmnist", "x").artefact).toBe("classification / fmnist");
  });
});

describe("Fig. 1 and the delay sweep", () => {
  it("fig1Verdict: at least 0.725 decades holds; above 0.02 is the direction only; else none", () => {
    expect(FIG1_GAP_DECADES).toBe(0.725);
    expect(fig1Verdict(0.725)).toBe("holds");
    expect(fig1Verdict(0.7249)).toBe("direction");
    expect(fig1Verdict(NO_GAP_DECADES + 1e-9)).toBe("direction");
    expect(fig1Verdict(NO_GAP_DECADES)).toBe("none");
    expect(fig1Verdict(-0.3)).toBe("none");
  });

  const sweep = (init: string, delay: number, mean: number, N = 64): DelaySweepRow => ({ init, N, delay, mean, std: 0, bestDt: 0.01, perSeed: [mean] });
  const study2 = [sweep("walrus", 100, -2), sweep("legs", 100, -1.5), sweep("walrus", 500, -1), sweep("legs", 500, -1), sweep("s4d-lin", 100, -1), sweep("s4d-lin", 500, -1.2)];

  it("delayWins: strictly lower mean at the same delay and N", () => {
    expect(delayWins(study2, "walrus", "legs")).toEqual({ wins: [100], of: 2 });
    expect(delayWins(study2, "s4d-lin", "walrus")).toEqual({ wins: [500], of: 2 });
    expect(delayWins([sweep("walrus", 100, -2), sweep("legs", 100, -1, 32)], "walrus", "legs")).toEqual({ wins: [], of: 1 });
  });

  it("delayPaperResults: one entry per setting with the gap, and study 2 as wins of delays", () => {
    const rs = delayPaperResults([{ setting: "N=64 AR(1)", walrus: -1.359, legs: -1.234 }], { delay: 500, length: 2000, seeds: 5 }, study2);
    expect(rs).toHaveLength(2);
    expect(rs[0].paper).toBe("0.725 decades (×5.31)");
    expect(rs[0].ours).toBe("0.125 decades (×1.33): WaLRUS -1.359, LegS -1.234");
    expect(rs[0].verdict).toBe("direction holds, magnitude well short of ×5.3");
    expect(rs[1].ours).toBe("1 of 2 delays");
    expect(rs[1].verdict).toBe("partly holds");
    expect(rs.map((r) => r.outcome)).toEqual(["partly", "partly"]);
  });

  it("delayFindings: the notebook's bullets come from the same rules", () => {
    const lines = delayFindings([{ setting: "s", walrus: -2, legs: -1 }], [], study2, { N: 64, label: {} });
    expect(lines[0]).toBe("* s: WaLRUS -2.000, LegS -1.000 → 1.000 decades (×10.00) — a gap at least the paper's 0.725 decades (×5.3).");
    expect(lines[2]).toBe("* Study 2: WaLRUS beats LegS at 1 of 2 delays; S4D-Lin beats WaLRUS at D ∈ {500}.");
  });
});

describe("Theorem 1", () => {
  const ref = THEOREM1_REFERENCE[8];
  const report = (over: Partial<Theorem1Report> = {}): Theorem1Report => ({
    Nf: ref.Nf, nUnit: ref.nUnit, nNontrivial: 8, rank: 8, minAbsNontrivial: ref.minAbsNontrivial, maxAbs: ref.maxAbs,
    condVReduced: ref.condVReduced, condVFull: ref.condVFull, maxUnitVisibility: 1e-16, ...over,
  } as Theorem1Report);
  const c = (over: Partial<Theorem1Report> = {}, naturalRank?: boolean): Theorem1Case => ({ N: 8, naturalRank, report: report(over) });

  it("theorem1Matches: counts exact, magnitudes within 1 %", () => {
    expect(theorem1Matches(c())).toBe("yes");
    expect(theorem1Matches(c({ maxAbs: ref.maxAbs * 1.0099 }))).toBe("yes");
    expect(theorem1Matches(c({ maxAbs: ref.maxAbs * 1.0101 }))).toBe("NO");
    expect(theorem1Matches(c({ nUnit: ref.nUnit + 1 }))).toBe("NO");
    expect(theorem1Matches(c({}, true))).toBe("—");
    expect(theorem1Matches({ N: 12, report: report() })).toBe("—");
  });

  it("theorem1PaperResults: holds only with r nontrivial modes and invisible unit modes", () => {
    const cond = [{ N: 8, condV: 4, init: "WaLRUS (reduced M)" }, { N: 8, condV: 7.7e4, init: "HiPPO-LegS" }];
    expect(theorem1PaperResults([c()], cond).map((r) => r.verdict)).toEqual(["holds", "partly holds"]);
    expect(theorem1PaperResults([c()], cond).map((r) => r.outcome)).toEqual(["holds", "partly"]);
    expect(theorem1PaperResults([c({ maxUnitVisibility: 2e-6 })], cond)[0].outcome).toBe("not reproduced");
    expect(theorem1PaperResults([c({ maxUnitVisibility: 2e-6 })], cond)[0].verdict).toBe("does not hold: unit modes visible to the readout (max 2.0e-6)");
    expect(theorem1PaperResults([c({ nNontrivial: 9 })], [{ ...cond[0] }, { ...cond[1], condV: 1e7 }]).map((r) => r.verdict)).toEqual(["does not hold for 1 N", "holds"]);
  });
});
