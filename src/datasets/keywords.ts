// Synthetic keyword spotting (the Speech Commands stand-in, data.md §2.2): the 35 SC-v2 words
// spoken by espeak-ng with seeded accent, voice variant, speed and pitch, silence-trimmed and
// placed at a random onset in a 1 s window by sox, resampled to `sampleRate`. Clips are
// generated once into the cache (int16 PCM, one file per clip, written atomically) and reused;
// growing `perClass` only synthesizes the new ones. Seeded white noise at 15–35 dB SNR is mixed
// in at load time. Report results as "synthetic SC35": real multi-speaker speech is not obtainable
// here, and a model trained on this will not transfer to it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic.js";
import { requireInt, requireOneOf } from "../errors.js";
import { projectRoot } from "../paths.js";
import { mulberry32, normalStream } from "../random.js";
import { checkMax, gather, shuffled, stratifiedSubset } from "./split.js";
import { MissingDataError, type LoadOptions, type SeqDataset, type SeqSplit } from "./types.js";

export const SC35_WORDS = ["backward", "bed", "bird", "cat", "dog", "down", "eight", "five", "follow", "forward", "four", "go", "happy",
  "house", "learn", "left", "marvin", "nine", "no", "off", "on", "one", "right", "seven", "sheila", "six", "stop", "three", "tree",
  "two", "up", "visual", "wow", "yes", "zero"];
/** The ten command words of the classic SC10 subset. */
export const SC10_WORDS = ["yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"];
const ACCENTS = ["en", "en-us", "en-gb-scotland", "en-gb-x-gbclan", "en-gb-x-rp", "en-gb-x-gbcwmd", "en-029", "en-us-nyc"];
const VARIANTS = ["m1", "m2", "m3", "m4", "m5", "m6", "m7", "f1", "f2", "f3", "f4", "klatt", "klatt2", "klatt3", "whisper", "croak"];
const SAMPLE_RATES = ["4000", "8000", "16000"] as const;

export interface KeywordsOptions extends LoadOptions {
  /** Clips per word (split 70/15/15 per word). Default 100. */
  perClass?: number;
  /** 4000, 8000 or 16000 Hz (SC: 16000). Sequence length = sampleRate (1 s). Default 16000. */
  sampleRate?: number;
  /** Subset of the 35 words. Default all. */
  words?: string[];
}

export interface ClipSpec { word: string; voice: string; speed: number; pitch: number; onset: number }

/** The seeded synthesis parameters of clip `idx` of `word` (a pure function of its arguments). */
export function clipSpec(word: string, idx: number, seed: number): ClipSpec {
  const w = SC35_WORDS.indexOf(word);
  const r = mulberry32((seed * 1_000_003 + (w + 1) * 100_003 + idx) >>> 0);
  const voice = `${ACCENTS[Math.floor(r() * ACCENTS.length)]}+${VARIANTS[Math.floor(r() * VARIANTS.length)]}`;
  return { word, voice, speed: 120 + Math.floor(r() * 121), pitch: 20 + Math.floor(r() * 61), onset: Math.round(r() * 0.3 * 1000) / 1000 };
}

function checkTools(): void {
  for (const [bin, pkg] of [["espeak-ng", "espeak-ng"], ["sox", "sox"]]) {
    const p = spawnSync(bin, ["--version"], { stdio: "ignore" });
    if (p.error) throw new MissingDataError("keywords", `the program ${bin}`, `sudo apt-get install ${pkg}   (or: npm run setup)`);
  }
}

function synth(s: ClipSpec, sr: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const es = spawn("espeak-ng", ["-v", s.voice, "-s", String(s.speed), "-p", String(s.pitch), "--stdout", s.word], { stdio: ["ignore", "pipe", "pipe"] });
    const sx = spawn("sox", ["-V1", "-t", "wav", "-", "-r", String(sr), "-c", "1", "-b", "16", "-e", "signed", "-t", "raw", "-",
      "silence", "1", "0.005", "0.5%", "reverse", "silence", "1", "0.005", "0.5%", "reverse", "pad", String(s.onset), "1", "trim", "0", "1"],
      { stdio: ["pipe", "pipe", "pipe"] });
    es.stdout.pipe(sx.stdin);
    const out: Buffer[] = [], err: Buffer[] = [];
    sx.stdout.on("data", (d: Buffer) => out.push(d));
    sx.stderr.on("data", (d: Buffer) => err.push(d));
    es.stderr.on("data", (d: Buffer) => err.push(d));
    es.on("error", reject); sx.on("error", reject);
    sx.on("close", (code) => {
      if (code !== 0) return reject(new Error(`sox failed for ${JSON.stringify(s)}: ${Buffer.concat(err).toString()}`));
      const b = Buffer.concat(out), want = 2 * sr;
      // sox's trim can come out a few samples short: zero-pad to exactly 1 s.
      resolve(b.length >= want ? b.subarray(0, want) : Buffer.concat([b, Buffer.alloc(want - b.length)]));
    });
  });
}

/** Make sure every clip is in the cache; returns the cache directory. */
export async function ensureClips(words: string[], perClass: number, sr: number, seed: number, o: LoadOptions): Promise<string> {
  const dir = join(o.cacheDir ?? join(projectRoot(), "data", "cache"), "keywords", `v1-seed${seed}-sr${sr}`);
  const todo: { spec: ClipSpec; file: string }[] = [];
  for (const w of words) {
    mkdirSync(join(dir, w), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const file = join(dir, w, `${i}.s16`);
      if (!existsSync(file)) todo.push({ spec: clipSpec(w, i, seed), file });
    }
  }
  if (todo.length === 0) return dir;
  checkTools();
  let done = 0, next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const t = todo[next++];
      writeFileAtomic(t.file, await synth(t.spec, sr));
      done++;
      o.onProgress?.(done, todo.length, "synthesizing keywords");
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  return dir;
}

export async function loadKeywords(o: KeywordsOptions = {}): Promise<SeqDataset> {
  const seed = o.seed ?? 0, perClass = requireInt("perClass", o.perClass ?? 100, 3, 100000);
  const sr = Number(requireOneOf("sampleRate", String(o.sampleRate ?? 16000), SAMPLE_RATES));
  const words = o.words ?? SC35_WORDS;
  words.forEach((w, i) => requireOneOf(`words[${i}]`, w, SC35_WORDS));
  const dir = await ensureClips(words, perClass, sr, seed, o);
  const n = words.length * perClass, L = sr;
  const x = new Float32Array(n * L), y = new Int32Array(n);
  const noise = normalStream(seed + 7), snr = mulberry32(seed + 11);
  let sumSq = 0;
  for (let c = 0; c < words.length; c++) {
    for (let i = 0; i < perClass; i++) {
      const k = c * perClass + i, b = readFileSync(join(dir, words[c], `${i}.s16`));
      const pcm = new Int16Array(b.buffer, b.byteOffset, L);
      let e = 0;
      for (let t = 0; t < L; t++) { const v = pcm[t] / 32768; x[k * L + t] = v; e += v * v; }
      const sigma = Math.sqrt(e / L) * 10 ** (-(15 + 20 * snr()) / 20);
      for (let t = 0; t < L; t++) { x[k * L + t] += sigma * noise(); sumSq += x[k * L + t] ** 2; }
      y[k] = c;
    }
  }
  const scale = 1 / Math.sqrt(sumSq / (n * L)); // unit RMS overall, as the models expect O(1) inputs
  for (let j = 0; j < x.length; j++) x[j] *= scale;
  // Per word: 70 % train, 15 % val, 15 % test, seeded.
  const tr: number[] = [], va: number[] = [], te: number[] = [];
  for (let c = 0; c < words.length; c++) {
    const o1 = shuffled(perClass, seed + 100 + c), nv = Math.max(1, Math.round(0.15 * perClass));
    o1.forEach((j, r) => (r < nv ? va : r < 2 * nv ? te : tr).push(c * perClass + j));
  }
  const pick = (idx: number[], max: number, s: number): SeqSplit => gather(x, y, L, stratifiedSubset(idx, y, max, s));
  return {
    name: "keywords",
    input: { kind: "real", dInput: 1 },
    nClasses: words.length,
    classNames: [...words],
    length: L,
    train: pick(tr, checkMax("maxTrain", o.maxTrain), seed + 2),
    val: pick(va, checkMax("maxVal", o.maxVal), seed + 1),
    test: pick(te, checkMax("maxTest", o.maxTest), seed + 3),
    source: `synthesized with espeak-ng (GPL-3+) + sox, ${perClass} clips per word, seed ${seed}, cached in ${dir}`,
    standsInFor: `Speech Commands ${words.length === 35 ? "SC35" : `(${words.length} of the 35 words)`} (real recordings not obtainable here): synthetic voices, ${sr} Hz` + (sr !== 16000 ? " (SC: 16 kHz)" : ""),
  };
}
