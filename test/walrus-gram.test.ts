// The fast Gram route of a WaLRUS build (support-limited, 2 × 2-blocked gramRows; dot products reused
// along the s_min search) against the plain reference: the Gram matrices are equal bit for bit, so
// the spectra, the default s_min and the built (A, B) are too. Build time is measured, not asserted.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weightedRows } from "../src/frames/quadrature.js";
import { gramRows, gramRowsNaive, spectrumOfGram } from "../src/linalg/svd.js";
import { naturalRank, truncatedDual } from "../src/frames/dual.js";
import { evaluateFrameAt, waveletFrame } from "../src/frames/waveletFrame.js";
import { rowsTimes, safariReduced } from "../src/ssm/safari.js";
import { Matrix } from "ml-matrix";
import { clearWalrusCache, walrus, walrusDefaultGrid, walrusDefaultSMin, walrusParts, WALRUS_RCOND } from "../src/ssm/walrus.js";
import { mulberry32 } from "../src/random.js";
import { relErr } from "./relErr.js";

const bits = (m: { to1DArray(): number[] }) => m.to1DArray().map((v) => (Object.is(v, -0) ? "-0" : v));

/** Rows with zero runs at either end and inside, and some all-zero rows. */
function sparseRows(m: number, n: number, seed: number): Float64Array[] {
  const rnd = mulberry32(seed);
  return Array.from({ length: m }, (_, i) => {
    const r = new Float64Array(n);
    if (i % 7 === 3) return r;
    const lo = Math.floor(rnd() * n), hi = Math.min(n - 1, lo + Math.floor(rnd() * n));
    for (let j = lo; j <= hi; j++) r[j] = rnd() < 0.1 ? 0 : (rnd() - 0.5) * 10 ** Math.floor(rnd() * 6 - 3);
    return r;
  });
}

describe("rowsTimes (support spans, four columns per pass) against the plain product", () => {
  it("equals Σ_j rows[i][j]·w[j]·P[j][c] summed in increasing j, value for value (zero signs aside)", () => {
    const rnd = mulberry32(9);
    for (const [m, n, r] of [[7, 33, 5], [40, 257, 9], [3, 64, 4]]) {
      const rows = sparseRows(m, n, m + n);
      const P = new Matrix(n, r), w = Float64Array.from({ length: n }, () => rnd());
      for (let j = 0; j < n; j++) for (let c = 0; c < r; c++) P.set(j, c, rnd() - 0.5);
      const got = rowsTimes(rows, P, w);
      for (let i = 0; i < m; i++) for (let c = 0; c < r; c++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += rows[i][j] * (P.get(j, c) * w[j]);
        expect(got.get(i, c) === s, `row ${i} col ${c}`).toBe(true);
      }
    }
  });
});

describe("gramRows (fast) against gramRowsNaive", () => {
  it("is bit-identical on sparse random rows (odd and even counts, empty rows)", () => {
    for (const [m, n, seed] of [[1, 5, 1], [2, 1, 2], [7, 33, 3], [40, 257, 4], [41, 64, 5]]) {
      const rows = sparseRows(m, n, seed);
      expect(bits(gramRows(rows))).toEqual(bits(gramRowsNaive(rows)));
    }
  });

  it("is bit-identical on the WaLRUS frames of the N = 64 search (s_min 3 … 0)", () => {
    for (const sMin of [3, 2, 1, 0]) {
      const rows = waveletFrame({ sMin }).rows;
      expect(bits(gramRows(rows)), `sMin ${sMin}`).toEqual(bits(gramRowsNaive(rows)));
    }
  });

  it("reusing entries of an earlier Gram (rows shuffled, some new) changes nothing", () => {
    const rows = sparseRows(31, 120, 9);
    const old = [rows[5], rows[0], rows[17], rows[3], rows[4], rows[30], rows[2], rows[11]];
    const index = Int32Array.from(rows, (r) => old.indexOf(r));
    const reused = gramRows(rows, { index, gram: gramRowsNaive(old) });
    expect(bits(reused)).toEqual(bits(gramRowsNaive(rows)));
  });
});

describe("a WaLRUS build through the fast Gram equals the reference route", () => {
  let saved: string | undefined;
  beforeAll(() => {
    saved = process.env.W4S4_CACHE;
    process.env.W4S4_CACHE = "off"; // compute every spectrum here, none from disk
    clearWalrusCache();
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.W4S4_CACHE;
    else process.env.W4S4_CACHE = saved;
    clearWalrusCache();
  });

  it("default s_min, spectrum and (A, B) of WaLRUS-64 (and the s_min of N = 20)", () => {
    const G = walrusDefaultGrid(64);
    expect(walrusDefaultGrid(20)).toBe(G);
    const ref = new Map<number, ReturnType<typeof spectrumOfGram>>();
    const refSpectrum = (sMin: number) => {
      const f = waveletFrame({ sMin, grid: G });
      if (!ref.has(sMin)) ref.set(sMin, spectrumOfGram(gramRowsNaive(weightedRows(f.rows, f.quadrature))));
      return ref.get(sMin)!;
    };
    // walrus-math §4.4 step 1, the plain way: the largest s_min ≤ 3 with natural rank ≥ N.
    const refSMin = (N: number) => [3, 2, 1, 0, -1].find((s) => naturalRank(refSpectrum(s).sAll, WALRUS_RCOND) >= N);
    for (const N of [20, 64]) expect(walrusDefaultSMin(N), `N ${N}`).toBe(refSMin(N));

    const N = 64, sp = refSpectrum(0), p = walrusParts({ N });
    expect(p.frame.sMin).toBe(0);
    expect(Array.from(p.spectrum.sAll)).toEqual(Array.from(sp.sAll));
    expect(bits(p.spectrum.U)).toEqual(bits(sp.U));

    const frame = waveletFrame({ sMin: 0, grid: G });
    const dual = truncatedDual(frame.rows, frame.quadrature, { rank: N, spectrum: sp });
    const want = safariReduced({ rows: frame.rows, quadrature: frame.quadrature, atOne: evaluateFrameAt(frame, 1) }, dual, "scaled");
    const got = walrus({ N });
    const eA = relErr(got.A.to1DArray(), want.A.to1DArray()), eB = relErr(got.B, want.B);
    expect(eA).toBeLessThanOrEqual(1e-12);
    expect(eB).toBeLessThanOrEqual(1e-12);
    console.log(`WaLRUS-64 fast vs reference Gram: max rel. difference A ${eA}, B ${eB}`);
  });
});
