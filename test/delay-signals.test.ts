// Seeded signals of walrus-math §8.3: mulberry32 + Box–Muller, unit RMS, determinism.
import { describe, expect, it } from "vitest";
import {
  ar1Noise,
  bandlimitedNoise,
  makeSignal,
  registerSignal,
  rms,
  signalNames,
  whiteNoise,
} from "../src/tasks/signals.js";
import { mulberry32, normalStream } from "../src/random.js";

// mulberry32 written again with BigInt arithmetic mod 2^32, independent of Math.imul and |0 tricks.
function mulberry32BigInt(seed: number): () => number {
  const M = 1n << 32n;
  const u32 = (v: bigint) => ((v % M) + M) % M;
  const imul = (a: bigint, b: bigint) => u32(a * b);
  let a = u32(BigInt(seed));
  return () => {
    a = u32(a + 0x6d2b79f5n);
    let t = a;
    t = imul(t ^ (t >> 15n), t | 1n);
    t = u32(t ^ u32(t + imul(t ^ (t >> 7n), t | 61n)));
    return Number(t ^ (t >> 14n)) / 2 ** 32;
  };
}

describe("mulberry32", () => {
  it("first uniforms for seed 1 equal the algorithm evaluated in BigInt arithmetic (bit-identical)", () => {
    const a = mulberry32(1);
    const b = mulberry32BigInt(1);
    for (let i = 0; i < 1000; i++) expect(a()).toBe(b());
  });
  it("first 3 uniforms for seed 1 are the known values (exact)", () => {
    const a = mulberry32(1);
    // Computed once from the algorithm above; they are multiples of 2^-32, so exact in float64.
    const first = [a(), a(), a()];
    const ref = mulberry32BigInt(1);
    expect(first).toEqual([ref(), ref(), ref()]);
    expect(first).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    for (const v of first) expect(Number.isInteger(v * 2 ** 32)).toBe(true);
  });
  it("other seeds, including large ones, agree with the BigInt version", () => {
    for (const seed of [0, 2, 42, 123456789, 0xffffffff]) {
      const a = mulberry32(seed);
      const b = mulberry32BigInt(seed);
      for (let i = 0; i < 50; i++) expect(a()).toBe(b());
    }
  });
  it("Box–Muller uses one normal per two uniforms, cos branch", () => {
    const u = mulberry32BigInt(7);
    const n = normalStream(7);
    for (let i = 0; i < 20; i++) {
      const u1 = u();
      const u2 = u();
      expect(n()).toBeCloseTo(Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2), 14);
    }
  });
});

describe("signals", () => {
  it("white, ar1, bandlimited have unit RMS (to 1e-12) and are deterministic", () => {
    for (const x of [whiteNoise(2000, 1), ar1Noise(2000, 1), bandlimitedNoise(2000, 1, 50)]) {
      expect(x.length).toBe(2000);
      expect(Math.abs(rms(x) - 1)).toBeLessThan(1e-12);
    }
    expect(whiteNoise(500, 3)).toEqual(whiteNoise(500, 3));
    expect(ar1Noise(500, 3)).toEqual(ar1Noise(500, 3));
    expect(whiteNoise(500, 3)).not.toEqual(whiteNoise(500, 4));
  });
  it("ar1 follows v_i = a v_{i-1} + e_i over white(L + burn), keeping the last L", () => {
    const L = 300;
    const burn = 100;
    const e = whiteNoise(L + burn, 5);
    let v = 0;
    const ref = new Float64Array(L);
    for (let i = 0; i < L + burn; i++) {
      v = 0.9 * v + e[i];
      if (i >= burn) ref[i - burn] = v;
    }
    const r = rms(ref);
    const x = ar1Noise(L, 5, 0.9, burn);
    for (let i = 0; i < L; i++) expect(x[i]).toBeCloseTo(ref[i] / r, 13);
    // Lag-1 autocorrelation of AR(0.99) noise is close to 0.99 (±0.02 for L = 2000).
    const y = ar1Noise(2000, 1);
    let c = 0;
    for (let i = 1; i < y.length; i++) c += y[i] * y[i - 1];
    expect(c / (y.length - 1)).toBeGreaterThan(0.97);
  });
  it("bandlimited has no energy above kmax (DFT check, relative 1e-10) and coefficients drawn a1, b1, a2, ...", () => {
    const L = 256;
    const kmax = 5;
    const x = bandlimitedNoise(L, 2, kmax);
    const n = normalStream(2);
    const coef = Array.from({ length: 2 * kmax }, () => n());
    for (let k = 0; k <= L / 2; k++) {
      let re = 0;
      let im = 0;
      for (let j = 0; j < L; j++) {
        re += x[j] * Math.cos((2 * Math.PI * k * j) / L);
        im += x[j] * Math.sin((2 * Math.PI * k * j) / L);
      }
      if (k === 0 || k > kmax) expect(Math.hypot(re, im)).toBeLessThan(1e-10 * L);
      else {
        // re = a_k·L/2·s, im = b_k·L/2·s with the same unit-RMS scale s for all k.
        const s = re / ((coef[2 * (k - 1)] * L) / 2);
        expect(im / ((coef[2 * (k - 1) + 1] * L) / 2)).toBeCloseTo(s, 9);
      }
    }
  });
  it("makeSignal parses the specs and rejects unknown ones naming the allowed list", () => {
    expect(makeSignal("white", 100, 1)).toEqual(whiteNoise(100, 1));
    expect(makeSignal("ar1", 100, 1)).toEqual(ar1Noise(100, 1));
    expect(makeSignal("ar1:0.5", 100, 1)).toEqual(ar1Noise(100, 1, 0.5));
    expect(makeSignal("bandlimited:7", 100, 1)).toEqual(bandlimitedNoise(100, 1, 7));
    expect(() => makeSignal("pink", 100, 1)).toThrow(/Invalid signal: got "pink"; allowed: one of white, ar1, .*bandlimited:<kmax>.*unknown signal/);
    expect(() => makeSignal("bandlimited", 100, 1)).toThrow(/bandlimited:<kmax>/);
    expect(() => makeSignal("bandlimited:51", 100, 1)).toThrow(/kmax an integer in \[1, 50\]/);
    expect(() => makeSignal("ar1:2", 100, 1)).toThrow(/\|a\| <= 1/);
    expect(() => whiteNoise(0, 1)).toThrow(/Invalid L/);
    expect(() => whiteNoise(10, -1)).toThrow(/Invalid seed/);
  });
  it("registered sources (the dataset hook) are accepted and scaled to unit RMS", () => {
    registerSignal("ramp-test", (L) => Float64Array.from({ length: L }, (_, i) => 3 * i + 1), "test ramp");
    expect(signalNames()).toContain("ramp-test");
    const x = makeSignal("ramp-test", 50, 1);
    expect(Math.abs(rms(x) - 1)).toBeLessThan(1e-12);
    expect(() => registerSignal("white", (L) => new Float64Array(L))).toThrow(/signal name/);
  });
});
