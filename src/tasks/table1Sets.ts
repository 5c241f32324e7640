// The data behind each row of W4S4 Table 1, built from our substitutes (data/README.md): which
// data set stands in for which row, at which length and how many sequences per size.
// small: seconds (CI), default: about a minute for all rows on a 2-core CPU, full: the paper's
// lengths where we know them (s-CIFAR 1024, Speech 16000, BIDMC 4000, Texts 4096).
import { loadDataset, loadSeries, type SeqSplit } from "../datasets/index.js";
import { requireOneOf } from "../errors.js";
import { SIZES, type Size } from "../notebookSize.js";
import { windowsFromSeries, type SequenceSet } from "./table1.js";

export const TABLE1_ROWS = ["M4", "Speech", "s-CIFAR", "Solar", "BIDMC", "Texts"] as const;
export type Table1Row = (typeof TABLE1_ROWS)[number];

interface RowPlan { L: number; train: number; val: number; test: number }

export const TABLE1_PLAN: Record<Table1Row, Record<Size, RowPlan>> = {
  // births: 52-week windows (M4's weekly/daily series are a few hundred points long).
  M4: { small: { L: 364, train: 6, val: 1, test: 2 }, default: { L: 364, train: 10, val: 2, test: 3 }, full: { L: 364, train: 10, val: 2, test: 3 } },
  Speech: { small: { L: 4000, train: 4, val: 2, test: 4 }, default: { L: 4000, train: 24, val: 8, test: 16 }, full: { L: 16000, train: 200, val: 50, test: 200 } },
  "s-CIFAR": { small: { L: 784, train: 8, val: 4, test: 8 }, default: { L: 1024, train: 40, val: 10, test: 40 }, full: { L: 1024, train: 1000, val: 200, test: 1000 } },
  // synthetic PV: one week at 10 min per window.
  Solar: { small: { L: 1008, train: 6, val: 2, test: 2 }, default: { L: 1008, train: 40, val: 8, test: 8 }, full: { L: 1008, train: 70, val: 15, test: 15 } },
  BIDMC: { small: { L: 1000, train: 6, val: 2, test: 2 }, default: { L: 4000, train: 18, val: 4, test: 5 }, full: { L: 4000, train: 18, val: 4, test: 5 } },
  Texts: { small: { L: 512, train: 8, val: 2, test: 4 }, default: { L: 1024, train: 24, val: 6, test: 12 }, full: { L: 4096, train: 200, val: 50, test: 200 } },
};

const rowsOf = (s: SeqSplit, L: number, max: number, keep: (r: Float64Array) => boolean = () => true): Float64Array[] => {
  const out: Float64Array[] = [];
  for (let i = 0; i < s.n && out.length < max; i++) {
    const r = Float64Array.from(s.x.subarray(i * L, (i + 1) * L));
    if (keep(r)) out.push(r);
  }
  return out;
};

function fromSeries(name: "births" | "ecg" | "solar", p: RowPlan): { train: Float64Array[]; val: Float64Array[]; test: Float64Array[] } {
  const w = windowsFromSeries(loadSeries(name).values, p.L);
  return { train: w.train.slice(0, p.train), val: w.val.slice(0, p.val), test: w.test.slice(0, p.test) };
}

/** The sequences of one Table 1 row at a size (seeded where the source is sampled). */
export async function table1Set(row: Table1Row, size: Size = "default", seed = 0): Promise<SequenceSet> {
  requireOneOf("row", row, TABLE1_ROWS);
  const p = TABLE1_PLAN[row][requireOneOf("size", size, SIZES)];
  switch (row) {
    case "M4": {
      const s = loadSeries("births");
      return { name: "births", row, standsInFor: s.standsInFor, kind: "real", ...fromSeries("births", p) };
    }
    case "Solar": {
      const s = loadSeries("solar");
      return { name: "solar", row, standsInFor: s.standsInFor, kind: "real", ...fromSeries("solar", p) };
    }
    case "BIDMC": {
      const s = loadSeries("ecg");
      return { name: "ecg", row, standsInFor: s.standsInFor, kind: "real", ...fromSeries("ecg", p) };
    }
    case "s-CIFAR": {
      const d = await loadDataset("fmnist", { seed, pad1024: p.L === 1024, maxTrain: p.train, maxVal: p.val, maxTest: p.test });
      return { name: "fmnist", row, standsInFor: d.standsInFor, kind: "real", train: rowsOf(d.train, p.L, p.train), val: rowsOf(d.val, p.L, p.val), test: rowsOf(d.test, p.L, p.test) };
    }
    case "Speech": {
      const sr = p.L;
      const perClass = Math.max(3, Math.ceil((p.train + p.val + p.test) / 35 / 0.15) + 1);
      const d = await loadDataset("keywords", { seed, sampleRate: sr, perClass, maxTrain: p.train, maxVal: p.val, maxTest: p.test });
      return { name: "keywords", row, standsInFor: d.standsInFor, kind: "real", train: rowsOf(d.train, p.L, p.train), val: rowsOf(d.val, p.L, p.val), test: rowsOf(d.test, p.L, p.test) };
    }
    case "Texts": {
      // Whole documents only (no padding inside a sequence): bodies of at least L bytes.
      const d = await loadDataset("text", { seed, length: p.L });
      const full = (r: Float64Array) => r[p.L - 1] !== 256;
      return { name: "text", row, standsInFor: d.standsInFor, kind: "bytes", train: rowsOf(d.train, p.L, p.train, full), val: rowsOf(d.val, p.L, p.val, full), test: rowsOf(d.test, p.L, p.test, full) };
    }
  }
}
