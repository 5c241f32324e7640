// Every data set by name: loadDataset("fmnist", { maxTrain: 1000 }). Sources and licences are in
// data/README.md; a missing source raises MissingDataError with the install command.
import { rejectUnknownKeys, requireOneOf } from "../errors.js";
import { loadFmnist, type FmnistOptions } from "./fmnist.js";
import { loadKeywords, type KeywordsOptions } from "./keywords.js";
import { loadListOps, type ListOpsOptions } from "./listops.js";
import { loadMnist } from "./mnist.js";
import { loadText, type TextOptions } from "./text.js";
import type { LoadOptions, SeqDataset } from "./types.js";

export * from "./types.js";
export { loadFmnist, readIdx, FMNIST_CLASSES } from "./fmnist.js";
export { loadMnist } from "./mnist.js";
export { loadKeywords, clipSpec, SC35_WORDS, SC10_WORDS } from "./keywords.js";
export { loadText, stripHeaders } from "./text.js";
export { loadListOps, listopsString, evalTree } from "./listops.js";
export { loadSeries, seriesWindow, syntheticSolar, readScipyEcg, SERIES_NAMES, type Series, type SeriesName } from "./series.js";


export const DATASET_NAMES = ["fmnist", "mnist", "keywords", "text", "listops"] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

export type DatasetOptions = LoadOptions & FmnistOptions & KeywordsOptions & TextOptions & ListOpsOptions;

const COMMON_KEYS = ["seed", "maxTrain", "maxVal", "maxTest", "cacheDir", "onProgress"] as const;
/** The option keys each loader understands (a misspelt key is an error, not a silent default). */
export const DATASET_OPTION_KEYS: Record<DatasetName, readonly string[]> = {
  fmnist: [...COMMON_KEYS, "permute", "permutationSeed", "dir", "pad1024"],
  mnist: COMMON_KEYS,
  keywords: [...COMMON_KEYS, "perClass", "sampleRate", "words"],
  text: [...COMMON_KEYS, "length"],
  listops: [...COMMON_KEYS, "minLength", "maxLength", "maxDepth", "maxArgs", "nTrain", "nVal", "nTest"],
};

/** Checks a data set name and its option keys without loading anything. */
export function checkDatasetOptions(name: string, opts: object, where = "data"): DatasetName {
  const n = requireOneOf("dataset", name, DATASET_NAMES);
  rejectUnknownKeys(where, opts, DATASET_OPTION_KEYS[n]);
  return n;
}

export async function loadDataset(name: DatasetName | string, opts: DatasetOptions = {}): Promise<SeqDataset> {
  const n = checkDatasetOptions(name, opts);
  switch (n) {
    case "fmnist": return loadFmnist(opts);
    case "mnist": return loadMnist(opts);
    case "keywords": return loadKeywords(opts);
    case "text": return loadText(opts);
    case "listops": return loadListOps(opts);
  }
}

/** One line per split: sizes, length, classes — for notebooks and the CLI. */
export function datasetInfo(d: SeqDataset): string {
  const inp = d.input.kind === "real" ? `real ×${d.input.dInput}` : `tokens (vocab ${d.input.vocab})`;
  return `${d.name}: L=${d.length}, ${inp}, ${d.nClasses} classes, train ${d.train.n} / val ${d.val.n} / test ${d.test.n} — ${d.source}` +
    (d.standsInFor ? `; stands in for ${d.standsInFor}` : "");
}
