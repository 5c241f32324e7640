// Notebook 04's builders: Table 1 rows compare with the paper as the paper does (ratio of MSEs).
import { describe, expect, it } from "vitest";
import { accuracyRows, table1Chart, table1Rows, trainingCurvesChart } from "../src/viz/trainCharts.js";
import { chartToSvg } from "../src/viz/chart.js";
import type { Table1Cell } from "../src/tasks/table1.js";

const cell = (set: string, row: string, init: string, test: number, metric: Table1Cell["metric"] = "log10mse"): Table1Cell => ({
  set, row, init, b: "ones", N: 64, L: 784, delay: 196, bestDt: 0.005, curve: [], metric, test, nTrain: 10, nTest: 5,
});

describe("notebook 04 builders", () => {
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

  it("charts render to SVG", async () => {
    const svg1 = await chartToSvg(table1Chart([cell("fmnist", "s-CIFAR", "legs", -1.2), cell("fmnist", "s-CIFAR", "walrus", -1.5)], "t"));
    expect(svg1).toMatch(/^<svg/);
    const svg2 = await chartToSvg(trainingCurvesChart([{ label: "a", history: [{ epoch: 1, step: 1, lr: 0.01, trainLoss: 1, trainAcc: 0.5, valLoss: 1, valAcc: 0.5, seconds: 1, samplesPerSec: 1 }] }], "c"));
    expect((svg2.match(/<path/g) ?? []).length).toBeGreaterThan(2);
  });
});
