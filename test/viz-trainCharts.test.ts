// Notebook 04's charts: the marks drawn carry the numbers given (vega's aria-labels).
import { describe, expect, it } from "vitest";
import { table1Chart, trainingCurvesChart } from "../src/viz/trainCharts.js";
import { chartToSvg } from "../src/viz/chart.js";

const count = (svg: string, role: string) => (svg.match(new RegExp(`aria-roledescription="${role}"`, "g")) ?? []).length;
/** The aria-labels of the point marks (vega writes each datum's fields there). */
const pointLabels = (svg: string) => [...svg.matchAll(/<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="point"/g)].map((m) => m[1]);
import type { Table1Cell } from "../src/tasks/table1.js";

const cell = (set: string, row: string, init: string, test: number, metric: Table1Cell["metric"] = "log10mse"): Table1Cell => ({
  set, row, init, b: "ones", N: 64, L: 784, delay: 196, bestDt: 0.005, curve: [], metric, test, nTrain: 10, nTest: 5,
});

describe("notebook 04 builders", () => {
  it("table1Chart draws our score and the paper's for each model (4 points, values in their labels)", async () => {
    const svg = await chartToSvg(table1Chart([cell("fmnist", "s-CIFAR", "legs", -1.2), cell("fmnist", "s-CIFAR", "walrus", -1.5)], "t"));
    expect(pointLabels(svg).sort()).toEqual([
      "row: s-CIFAR; test score (lower is better): −1.175; model: HiPPO-LegS; source: paper",
      "row: s-CIFAR; test score (lower is better): −1.2; model: HiPPO-LegS; source: ours",
      "row: s-CIFAR; test score (lower is better): −1.351; model: WaLRUS; source: paper",
      "row: s-CIFAR; test score (lower is better): −1.5; model: WaLRUS; source: ours",
    ]);
    // The paper's points are hollow (no fill: the root group's fill="none"), ours filled in the model's colour.
    const marks = [...svg.matchAll(/source: (ours|paper)" role="graphics-symbol" aria-roledescription="point"([^>]*)>/g)];
    expect(marks).toHaveLength(4);
    expect(svg).toMatch(/<g fill="none"/);
    for (const [, source, attrs] of marks) expect(/ fill="#[0-9a-f]{6}"/.test(attrs)).toBe(source === "ours");
  });

  it("trainingCurvesChart: one panel per metric, one line per run, a point per epoch", async () => {
    const history = [1, 2, 3].map((epoch) => ({ epoch, step: epoch, lr: 0.01, trainLoss: 1 / epoch, trainAcc: 0.5, valLoss: 1, valAcc: 0.4 + 0.1 * epoch, seconds: 1, samplesPerSec: 1 }));
    const svg = await chartToSvg(trainingCurvesChart([{ label: "a", history }, { label: "b", history: history.slice(0, 2) }], "c"));
    // 2 panels × 2 runs = 4 lines; points: (3 + 2) epochs × 2 metrics.
    expect(count(svg, "line mark")).toBe(4);
    const pts = pointLabels(svg);
    expect(pts).toHaveLength(10);
    expect(pts).toContain("epoch: 3; value: 0.333333333333; run: a");
    expect(pts).toContain("epoch: 3; value: 0.7; run: a");
    expect(pts.filter((p) => p.endsWith("run: b"))).toHaveLength(4);
    expect(svg).toContain("validation accuracy");
    // Epochs are counts: integer ticks only (2 epochs used to read 1.0, 1.2, …, 2.0).
    const ticks = [...svg.matchAll(/aria-label="X-axis titled 'epoch' for a linear scale with values from ([^ ]+) to ([^']+?)"/g)];
    expect(ticks.length).toBe(2);
    const labels = [...svg.matchAll(/<text[^>]*>([0-9.]+)<\/text>/g)].map((m) => m[1]);
    expect(labels).toContain("2");
    expect(labels.some((l) => /^\d+\.\d$/.test(l) && Number(l) < 4 && Number(l) >= 1 && !Number.isInteger(Number(l)))).toBe(false);
    expect(svg).toContain("training loss");
  });
});
