// Sequential Fashion-MNIST (the sCIFAR stand-in, walrus-math/data.md §2.1): 28×28 grey images read
// pixel by pixel as length-784 sequences (or zero-padded to 32×32 = 1024, sCIFAR's length), one
// input channel, normalized with the training set's mean and std. Debian `dataset-fashion-mnist`
// ships the IDX files; validation is a seeded 10 % of the 60k training images.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { ParameterError } from "../errors.js";
import { checkMax, shuffled, stratifiedSubset } from "./split.js";
import { MissingDataError, type LoadOptions, type SeqDataset, type SeqSplit } from "./types.js";

export const FMNIST_DIR = "/usr/share/datasets/fashion-mnist";
export const FMNIST_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
// Of the 60k training images, in [0, 1] (the usual torchvision Normalize constants).
const MEAN = 0.286, STD = 0.353;

export interface FmnistOptions extends LoadOptions {
  /** Zero-pad each image to 32×32 so L = 1024 like sCIFAR. Default false (L = 784). */
  pad1024?: boolean;
  /** Apply one fixed random pixel permutation (seeded by `permutationSeed`), the psMNIST variant. Default false. */
  permute?: boolean;
  permutationSeed?: number;
  /** Directory of the IDX .gz files. Default /usr/share/datasets/fashion-mnist. */
  dir?: string;
}

/** Read a gzip'd IDX file: magic 0x0000080d (d = rank), big-endian dims, then uint8 data. */
export function readIdx(path: string): { dims: number[]; data: Uint8Array } {
  const buf = gunzipSync(readFileSync(path));
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const magic = dv.getUint32(0);
  if (magic >>> 8 !== 0x08) throw new Error(`${path}: not a uint8 IDX file (magic 0x${magic.toString(16)})`);
  const rank = magic & 0xff;
  const dims = Array.from({ length: rank }, (_, i) => dv.getUint32(4 + 4 * i));
  const off = 4 + 4 * rank;
  const size = dims.reduce((a, b) => a * b, 1);
  if (buf.length - off !== size) throw new Error(`${path}: expected ${size} data bytes, found ${buf.length - off}`);
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + off, size) };
}

function toSplit(img: Uint8Array, lab: Uint8Array, idx: Int32Array, pad: boolean, perm: Int32Array | null): SeqSplit {
  const L = pad ? 1024 : 784, n = idx.length;
  const x = new Float32Array(n * L).fill(pad ? (0 - MEAN) / STD : 0);
  const y = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const src = idx[k] * 784;
    y[k] = lab[idx[k]];
    for (let p = 0; p < 784; p++) {
      const q = perm ? perm[p] : p;
      const t = pad ? (Math.floor(q / 28) + 2) * 32 + (q % 28) + 2 : q;
      x[k * L + t] = (img[src + p] / 255 - MEAN) / STD;
    }
  }
  return { x, y, n };
}

export function loadFmnist(o: FmnistOptions = {}): SeqDataset {
  const dir = o.dir ?? FMNIST_DIR;
  const seed = o.seed ?? 0;
  const files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
  for (const f of files) {
    if (!existsSync(join(dir, f))) throw new MissingDataError("fmnist", join(dir, f), "sudo apt-get install dataset-fashion-mnist   (or: npm run setup)");
  }
  const maxTrain = checkMax("maxTrain", o.maxTrain), maxVal = checkMax("maxVal", o.maxVal), maxTest = checkMax("maxTest", o.maxTest);
  if (o.permute && o.pad1024) throw new ParameterError("permute", "not combined with pad1024", true);
  const [trI, trL, teI, teL] = files.map((f) => readIdx(join(dir, f)));
  if (trI.dims[0] !== trL.dims[0] || trI.dims[1] !== 28 || trI.dims[2] !== 28) throw new Error(`${dir}: unexpected image dims ${trI.dims}`);
  const order = shuffled(trI.dims[0], seed);
  const nVal = Math.round(0.1 * order.length);
  const valIdx = stratifiedSubset(order.subarray(0, nVal), trL.data, maxVal, seed + 1);
  const trainIdx = stratifiedSubset(order.subarray(nVal), trL.data, maxTrain, seed + 2);
  const testIdx = stratifiedSubset(Int32Array.from({ length: teI.dims[0] }, (_, i) => i), teL.data, maxTest, seed + 3);
  const perm = o.permute ? shuffled(784, o.permutationSeed ?? 0) : null;
  const pad = o.pad1024 ?? false;
  return {
    name: "fmnist",
    input: { kind: "real", dInput: 1 },
    nClasses: 10,
    classNames: FMNIST_CLASSES,
    length: pad ? 1024 : 784,
    train: toSplit(trI.data, trL.data, trainIdx, pad, perm),
    val: toSplit(trI.data, trL.data, valIdx, pad, perm),
    test: toSplit(teI.data, teL.data, testIdx, pad, perm),
    source: `Fashion-MNIST (Zalando, MIT) from Debian dataset-fashion-mnist, ${dir}`,
    standsInFor: "sCIFAR (no CIFAR in npm/Debian): grey 28×28 instead of colour 32×32, 1 channel instead of 3",
  };
}
