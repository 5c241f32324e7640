// Charts for notebook 04 (Table 1 reconstruction, training curves). Pure builders: results in,
// vega-lite specs out. The paper's numbers and the rows that compare with them are in src/paper/.
import type { ChartSpec } from "./chart.js";
import { lineChart } from "./basicCharts.js";
import type { EpochMetrics } from "../nn/trainState.js";
import type { Table1Cell } from "../tasks/table1.js";
import { TABLE1_PAPER } from "../paper/table1.js";

/** Validation accuracy (and training loss) against epoch, one line per run label. */
export function trainingCurvesChart(runs: readonly { label: string; history: readonly EpochMetrics[] }[], title: string): ChartSpec {
  const rows = runs.flatMap((r) =>
    r.history.flatMap((h) => [
      { epoch: h.epoch, value: h.valAcc ?? null, metric: "validation accuracy", run: r.label },
      { epoch: h.epoch, value: h.trainLoss, metric: "training loss", run: r.label },
    ]),
  ).filter((p) => p.value !== null);
  // Epochs are fractional when the trainer validates several times per epoch (train.evalsPerEpoch).
  const xInteger = rows.every((p) => Number.isInteger(p.epoch));
  return lineChart(rows, { x: "epoch", y: "value", color: "run", facet: "metric", title, points: true, xInteger, width: 300, height: 200, yTitle: "" });
}

/** Points per data set: paper (hollow) and ours (filled), HiPPO vs WaLRUS by colour. */
export function table1Chart(cells: readonly Table1Cell[], title: string, o: { hippo?: string; walrus?: string } = {}): ChartSpec {
  const hi = o.hippo ?? "legs", wa = o.walrus ?? "walrus";
  const rows: Record<string, unknown>[] = [];
  for (const c of cells) {
    if (c.init !== hi && c.init !== wa) continue;
    const model = c.init === hi ? "HiPPO-LegS" : "WaLRUS";
    rows.push({ row: c.row, model, source: "ours", score: c.test, metric: c.metric === "crossEntropy" ? "cross-entropy" : "log10 MSE" });
    const p = TABLE1_PAPER[c.row];
    if (p) rows.push({ row: c.row, model, source: "paper", score: c.init === hi ? p.hippo : p.walrus, metric: c.metric === "crossEntropy" ? "cross-entropy" : "log10 MSE" });
  }
  return {
    title,
    data: { values: rows },
    facet: { field: "metric", type: "nominal", title: null },
    resolve: { scale: { x: "independent", y: "independent" } },
    spec: {
      width: 360,
      height: 200,
      mark: { type: "point", size: 90, strokeWidth: 2 },
      encoding: {
        x: { field: "row", type: "nominal", title: null, sort: null },
        y: { field: "score", type: "quantitative", scale: { zero: false }, title: "test score (lower is better)" },
        color: { field: "model", type: "nominal", title: null },
        shape: { field: "source", type: "nominal", title: null },
        fill: { condition: { test: "datum.source === 'ours'", field: "model", type: "nominal" }, value: "transparent" },
        xOffset: { field: "model", type: "nominal" },
      },
    },
  } as unknown as ChartSpec;
}

