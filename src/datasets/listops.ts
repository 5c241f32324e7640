// ListOps as in LRA (Nangia & Bowman 2018; Tay et al. 2021): nested MAX/MIN/MED/SM (sum mod 10)
// over digits, the answer (0–9) is the class. Generated here with a seeded stream; only the
// random draws differ from LRA's files. Trees are drawn like LRA's generator (below the root an
// operator with probability 0.25, else a digit; 2..maxArgs arguments; depth ≤ maxDepth) and kept
// when their token count lies in [minLength, maxLength]; sequences are padded to maxLength.
import { ParameterError, requireInt } from "../errors.js";
import { mulberry32 } from "../random.js";
import type { LoadOptions, SeqDataset, SeqSplit } from "./types.js";

// Token ids: 0 pad, 1..10 digits 0..9, 11..14 [MAX [MIN [MED [SM, 15 "]".
export const LISTOPS_VOCAB = ["<pad>", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "[MAX", "[MIN", "[MED", "[SM", "]"];
const OPS = ["MAX", "MIN", "MED", "SM"] as const;

export interface ListOpsOptions extends LoadOptions {
  /** Token-count bounds; sequences are padded to maxLength. Defaults 500 and 2000 (LRA). */
  minLength?: number;
  maxLength?: number;
  maxDepth?: number;
  maxArgs?: number;
  /** Split sizes before maxTrain/maxVal/maxTest caps. Defaults 96000/2000/2000 (LRA). */
  nTrain?: number;
  nVal?: number;
  nTest?: number;
}

type Tree = number | { op: (typeof OPS)[number]; args: Tree[] };

export function evalTree(t: Tree): number {
  if (typeof t === "number") return t;
  const v = t.args.map(evalTree);
  switch (t.op) {
    case "MAX": return Math.max(...v);
    case "MIN": return Math.min(...v);
    case "SM": return v.reduce((a, b) => a + b, 0) % 10;
    case "MED": { const s = [...v].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : Math.floor((s[m - 1] + s[m]) / 2); }
  }
}

export function tokens(t: Tree, out: number[] = []): number[] {
  if (typeof t === "number") { out.push(t + 1); return out; }
  out.push(11 + OPS.indexOf(t.op));
  for (const a of t.args) tokens(a, out);
  out.push(15);
  return out;
}

/** Readable form, e.g. "[MAX 4 [MIN 2 7 ] 0 ]". */
export function listopsString(ids: ArrayLike<number>): string {
  return Array.from(ids).filter((i) => i !== 0).map((i) => LISTOPS_VOCAB[i]).join(" ");
}

function draw(r: () => number, depth: number, maxDepth: number, maxArgs: number, budget: { n: number }): Tree {
  budget.n++;
  if (depth > 0 && (depth >= maxDepth || r() >= 0.25 || budget.n > 4000)) return Math.floor(r() * 10);
  const k = 2 + Math.floor(r() * (maxArgs - 1));
  return { op: OPS[Math.floor(r() * 4)], args: Array.from({ length: k }, () => draw(r, depth + 1, maxDepth, maxArgs, budget)) };
}

export function loadListOps(o: ListOpsOptions = {}): SeqDataset {
  const minL = requireInt("minLength", o.minLength ?? 500, 3), maxL = requireInt("maxLength", o.maxLength ?? 2000, 3);
  if (minL > maxL) throw new ParameterError("minLength", `≤ maxLength (${maxL})`, minL);
  const maxDepth = requireInt("maxDepth", o.maxDepth ?? 10, 1, 30), maxArgs = requireInt("maxArgs", o.maxArgs ?? 10, 2, 20);
  const cap = (v: number | undefined, d: number, name: string) => Math.min(requireInt(name, d, 1), v === undefined ? Infinity : requireInt(name.replace("n", "max"), v, 1));
  const sizes = { train: cap(o.maxTrain, o.nTrain ?? 96000, "nTrain"), val: cap(o.maxVal, o.nVal ?? 2000, "nVal"), test: cap(o.maxTest, o.nTest ?? 2000, "nTest") };
  const r = mulberry32(o.seed ?? 0);
  const make = (n: number, label: string, done0: number, total: number): SeqSplit => {
    const x = new Int32Array(n * maxL), y = new Int32Array(n);
    let tries = 0;
    for (let i = 0; i < n; ) {
      if (++tries > 1000 * (i + 1) + 100000) throw new ParameterError("minLength/maxLength", "a range the generator reaches (try a wider one)", [minL, maxL]);
      const t = draw(r, 0, maxDepth, maxArgs, { n: 0 });
      const ids = tokens(t);
      if (ids.length < minL || ids.length > maxL) continue;
      x.set(ids, i * maxL);
      y[i] = evalTree(t);
      i++;
      if (o.onProgress && i % 500 === 0) o.onProgress(done0 + i, total, label);
    }
    return { x, y, n };
  };
  const total = sizes.train + sizes.val + sizes.test;
  const train = make(sizes.train, "listops train", 0, total);
  const val = make(sizes.val, "listops val", sizes.train, total);
  const test = make(sizes.test, "listops test", sizes.train + sizes.val, total);
  return {
    name: "listops",
    input: { kind: "tokens", vocab: LISTOPS_VOCAB.length, padId: 0 },
    nClasses: 10,
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
    length: maxL,
    train, val, test,
    source: "generated (LRA ListOps rules, seeded mulberry32)",
    standsInFor: "",
  };
}
