// Seeded test inputs for the delay task, bit-reproducible across JS engines (walrus-math §8.3).
// The streams come from src/random.ts; the real series (ecg, births, solar) of src/datasets are
// built-in signals here, read lazily on first use.
import { ParameterError, requireFinite, requireInt } from "../errors.js";
import { SERIES_NAMES, seriesSummary, seriesWindow } from "../datasets/series.js";
import { mulberry32, normalStream } from "../random.js";

/** Root mean square of x. */
export function rms(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / x.length);
}

/** Scale x in place to unit RMS and return it. */
export function toUnitRms(x: Float64Array): Float64Array {
  const r = rms(x);
  if (!(r > 0)) throw new ParameterError("signal", "a signal with non-zero RMS", "all zeros");
  for (let i = 0; i < x.length; i++) x[i] /= r;
  return x;
}

function checkSeed(seed: number): number {
  return requireInt("seed", seed, 0, 0xffffffff);
}

/** White Gaussian noise of length L, unit RMS (walrus-math §8.3 `white_noise`). */
export function whiteNoise(L: number, seed: number): Float64Array {
  requireInt("L", L, 1);
  checkSeed(seed);
  const next = normalStream(seed);
  const x = new Float64Array(L);
  for (let i = 0; i < L; i++) x[i] = next();
  return toUnitRms(x);
}

/**
 * Periodic random Fourier series Σ_{k=1}^{kmax} a_k cos(2πkj/L) + b_k sin(2πkj/L), coefficients
 * drawn as normals in the order a₁, b₁, a₂, b₂, …, then unit RMS (walrus-math §8.3
 * `bandlimited_noise`). It has only 2·kmax degrees of freedom: with N ≥ 2·kmax states the delayed
 * signal is fit almost exactly (see the caveat in §8.3).
 */
export function bandlimitedNoise(L: number, seed: number, kmax: number): Float64Array {
  requireInt("L", L, 1);
  checkSeed(seed);
  requireInt("kmax", kmax, 1, Math.max(1, Math.floor(L / 2)));
  const next = normalStream(seed);
  const a = new Float64Array(kmax);
  const b = new Float64Array(kmax);
  for (let k = 0; k < kmax; k++) {
    a[k] = next();
    b[k] = next();
  }
  const x = new Float64Array(L);
  for (let j = 0; j < L; j++) {
    let s = 0;
    for (let k = 1; k <= kmax; k++) {
      // Reduce k·j mod L before the trig call so large arguments keep full precision.
      const ph = (2 * Math.PI * ((k * j) % L)) / L;
      s += a[k - 1] * Math.cos(ph) + b[k - 1] * Math.sin(ph);
    }
    x[j] = s;
  }
  return toUnitRms(x);
}

/**
 * AR(1) noise v_i = a·v_{i−1} + e_i (v_{−1} = 0) driven by the unit-RMS whiteNoise(L + burn, seed);
 * the first `burn` samples are dropped, the last L are scaled to unit RMS (walrus-math §8.3 `ar1_noise`).
 * Defaults: a = 0.99, burn = 2000. A continuous-spectrum input: the most honest delay-task test.
 */
export function ar1Noise(L: number, seed: number, a = 0.99, burn = 2000): Float64Array {
  requireInt("L", L, 1);
  checkSeed(seed);
  requireFinite("a", a, { min: -1, max: 1 });
  requireInt("burn", burn, 0);
  const e = whiteNoise(L + burn, seed);
  const x = new Float64Array(L);
  let v = 0;
  for (let i = 0; i < L + burn; i++) {
    v = a * v + e[i];
    if (i >= burn) x[i - burn] = v;
  }
  return toUnitRms(x);
}

/** A signal source for `makeSignal`: (L, seed) → unit-RMS series of length L. */
export type SignalSource = (L: number, seed: number) => Float64Array;

// Named sources beyond the synthetic ones: the real series of src/datasets, and any a user registers.
// Sources must return exactly L samples; makeSignal scales them to unit RMS like the synthetic ones.
const extraSources = new Map<string, { source: SignalSource; summary: string }>(
  SERIES_NAMES.map((n) => [n, { source: (L: number, seed: number) => seriesWindow(n, L, seed), summary: seriesSummary(n) }]),
);

/** Register a named signal (a dataset) so makeSignal, the CLI and notebook 03 accept it. */
export function registerSignal(name: string, source: SignalSource, summary = ""): void {
  if (!/^[a-z][a-z0-9_-]*$/.test(name) || ["white", "ar1", "bandlimited", ...SERIES_NAMES].includes(name)) {
    throw new ParameterError("signal name", "lower-case [a-z][a-z0-9_-]*, not a built-in name", name);
  }
  extraSources.set(name, { source, summary });
}

/** The signal specs makeSignal accepts, for help texts and errors. */
export function signalNames(): string[] {
  return ["white", "ar1", "ar1:<a>", "bandlimited:<kmax>", ...extraSources.keys()];
}

/**
 * Parse a signal spec and generate it:
 *   "white" | "ar1" | "ar1:<a>" (|a| ≤ 1, default 0.99) | "bandlimited:<kmax>" | a registered name.
 * Every result has length L and unit RMS.
 */
export function makeSignal(spec: string, L: number, seed: number): Float64Array {
  requireInt("L", L, 1);
  checkSeed(seed);
  const s = typeof spec === "string" ? spec.trim() : "";
  const [head, arg, ...rest] = s.split(":");
  const unknown = () => new ParameterError("signal", `one of ${signalNames().join(", ")} (unknown signal)`, spec);
  if (rest.length) throw unknown();
  if (head === "white" && arg === undefined) return whiteNoise(L, seed);
  if (head === "ar1") {
    if (arg === undefined) return ar1Noise(L, seed);
    const a = Number(arg);
    if (arg === "" || !Number.isFinite(a) || Math.abs(a) > 1) throw new ParameterError("signal", "ar1:<a> with |a| <= 1", spec);
    return ar1Noise(L, seed, a);
  }
  if (head === "bandlimited") {
    const k = Number(arg);
    if (arg === undefined || !/^\d+$/.test(arg) || k < 1 || k > Math.floor(L / 2)) {
      throw new ParameterError("signal", `bandlimited:<kmax> with kmax an integer in [1, ${Math.floor(L / 2)}]`, spec);
    }
    return bandlimitedNoise(L, seed, k);
  }
  const extra = arg === undefined ? extraSources.get(head) : undefined;
  if (extra) {
    const x = extra.source(L, seed);
    if (x.length !== L) throw new ParameterError("signal", `a source returning ${L} samples`, `${spec} gave ${x.length}`);
    return toUnitRms(Float64Array.from(x));
  }
  throw unknown();
}
