// Real and synthetic univariate series for the delay task and Table 1's regression rows
// (data.md §2.3, §2.5): an ECG (BIDMC stand-in), US daily births (M4 stand-in) and a synthetic
// solar-power generator (no PV data exists in npm/Debian). Each is registered as a signal, so
// `w4s4 delay --signal ecg` and notebook 03 take it like the synthetic ones.
import { createRequire } from "node:module";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { inflateRawSync } from "node:zlib";
import { ParameterError, requireInt, requireOneOf } from "../errors.js";
import { projectRoot } from "../paths.js";
import { mulberry32, normalStream } from "../random.js";
import { MissingDataError } from "./types.js";

export const SERIES_NAMES = ["ecg", "births", "solar"] as const;
export type SeriesName = (typeof SERIES_NAMES)[number];

export interface Series {
  name: SeriesName;
  values: Float64Array;
  /** Samples per second (ecg), per day (births: 1), per day (solar: 144 = 10 min). */
  rate: string;
  source: string;
  standsInFor: string;
}

export const SCIPY_ECG = "/usr/lib/python3/dist-packages/scipy/misc/ecg.dat";

/** Read the single .npy member of scipy's ecg.dat (a zip, deflate) without Python. */
export function readScipyEcg(path = SCIPY_ECG): Float64Array {
  if (!existsSync(path)) throw new MissingDataError("ecg", path, "sudo apt-get install python3-scipy   (or: npm run setup)");
  const z = readFileSync(path);
  if (z.readUInt32LE(0) !== 0x04034b50) throw new Error(`${path}: not a zip file`);
  const method = z.readUInt16LE(8), csize = z.readUInt32LE(18), nlen = z.readUInt16LE(26), xlen = z.readUInt16LE(28);
  const start = 30 + nlen + xlen;
  const raw = method === 8 ? inflateRawSync(z.subarray(start, start + csize)) : z.subarray(start, start + csize);
  if (raw.toString("latin1", 1, 6) !== "NUMPY") throw new Error(`${path}: member is not a .npy array`);
  const v1 = raw[6] === 1, hstart = v1 ? 10 : 12;
  const off = hstart + (v1 ? raw.readUInt16LE(8) : raw.readUInt32LE(8));
  const header = raw.toString("latin1", hstart, off);
  if (!/'descr':\s*'<u2'/.test(header)) throw new Error(`${path}: expected uint16 little-endian, header ${header}`);
  const n = (raw.length - off) / 2, out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (raw.readUInt16LE(off + 2 * i) - 1024) / 200; // millivolts (scipy's docs)
  return out;
}

function births(): Float64Array {
  let file: string;
  try {
    file = join(dirname(createRequire(join(projectRoot(), "package.json")).resolve("@stdlib/datasets-ssa-us-births-2000-2014/package.json")), "data", "data.csv");
  } catch {
    throw new MissingDataError("births", "the npm package @stdlib/datasets-ssa-us-births-2000-2014", "npm install @stdlib/datasets-ssa-us-births-2000-2014");
  }
  const lines = readFileSync(file, "utf8").trim().split("\n").slice(1);
  return Float64Array.from(lines, (l) => Number(l.split(",")[4]));
}

/**
 * Synthetic PV power at 10-minute resolution (144 samples a day): a clear-sky bell between
 * sunrise and sunset whose day length and peak follow the season, times a cloud factor in [0, 1]
 * from a seeded AR(1) with occasional overcast days, plus small sensor noise. Shape only:
 * it stands in for the Solar (Alabama PV, 137 plants) set that is not obtainable here.
 */
export function syntheticSolar(days: number, seed: number): Float64Array {
  requireInt("days", days, 1);
  const g = normalStream(seed), r = mulberry32(seed + 1), x = new Float64Array(days * 144);
  let cloud = 0;
  for (let d = 0; d < days; d++) {
    const season = Math.cos((2 * Math.PI * (d + 10)) / 365); // 1 at the winter solstice
    const dayLen = 12 - 2.5 * season, peak = 1 - 0.3 * season, overcast = r() < 0.12 ? 0.35 : 1;
    for (let s = 0; s < 144; s++) {
      const h = s / 6, t = (h - (12 - dayLen / 2)) / dayLen;
      cloud = 0.97 * cloud + 0.08 * g();
      const clear = t > 0 && t < 1 ? peak * Math.sin(Math.PI * t) ** 1.5 : 0;
      const c = Math.min(1, Math.max(0, 1 - Math.abs(cloud))) * overcast;
      x[d * 144 + s] = clear > 0 ? Math.max(0, clear * c + 0.005 * g()) : 0;
    }
  }
  return x;
}

const cache = new Map<string, Series>();

export function loadSeries(name: SeriesName): Series {
  requireOneOf("series", name, SERIES_NAMES);
  const hit = cache.get(name);
  if (hit) return hit;
  let s: Series;
  if (name === "ecg") {
    s = { name, values: readScipyEcg(), rate: "360 Hz", source: "MIT-BIH Arrhythmia record 208 (PhysioNet, ODC-By), 5 min lead MLII, from Debian python3-scipy's ecg.dat (BSD-3)", standsInFor: "BIDMC (one subject's ECG; no PPG, no SpO2/RR labels)" };
  } else if (name === "births") {
    s = { name, values: births(), rate: "1 per day", source: "US births per day 2000–2014 (SSA) from npm @stdlib/datasets-ssa-us-births-2000-2014 (PDDL/CC0)", standsInFor: "M4 (one real daily series instead of 100,000 competition series)" };
  } else {
    s = { name, values: syntheticSolar(2 * 365, 2024), rate: "144 per day (10 min)", source: "synthetic clear-sky × cloud generator (src/datasets/series.ts), 2 years, seed 2024", standsInFor: "Solar (no PV or irradiance series in npm/Debian; synthetic)" };
  }
  cache.set(name, s);
  return s;
}

/** A seeded window of length L from a series (unit RMS after removing its mean), for makeSignal. */
export function seriesWindow(name: SeriesName, L: number, seed: number): Float64Array {
  const v = loadSeries(name).values;
  if (L > v.length) throw new ParameterError("length", `≤ ${v.length} (the ${name} series)`, L);
  const start = Math.floor(mulberry32(seed)() * (v.length - L + 1));
  const w = v.slice(start, start + L);
  let m = 0;
  for (const a of w) m += a / L;
  for (let i = 0; i < L; i++) w[i] -= m;
  return w;
}

/** One line on where a series comes from (help texts, signal lists). */
export function seriesSummary(n: SeriesName): string {
  return { ecg: "real ECG, MIT-BIH 208 at 360 Hz (python3-scipy)", births: "US daily births 2000–2014 (npm @stdlib)", solar: "synthetic 10-min PV power" }[n];
}
