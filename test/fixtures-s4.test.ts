// Our S4D kernels against test/fixtures/s4-kernels.json: an independent numpy implementation of
// state-spaces/s4's SSMKernelDiag convention (scripts/fixtures/s4_kernels.py; log-Vandermonde powers,
// cross-checked there against the recurrence's impulse response).
import { beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { disposeKernelParams, initKernelParams, ssmKernel } from "../src/kernels/ssmKernel.js";
import { discretizeDiagonal } from "../src/ssm/discretize.js";
import { diagonalKernel } from "../src/ssm/reference.js";
import { s4dInv, s4dLin } from "../src/ssm/s4dInit.js";
import type { CVec, DiagonalSSM, Discretization } from "../src/ssm/types.js";

interface Cplx {
  re: number[];
  im: number[];
}
const fx = JSON.parse(readFileSync(new URL("./fixtures/s4-kernels.json", import.meta.url), "utf8")) as {
  N: number;
  modes: number;
  L: number;
  lambda: Record<"s4d-lin" | "s4d-inv", Cplx>;
  B: Cplx;
  C: Cplx;
  cases: { init: "s4d-lin" | "s4d-inv"; disc: Discretization; dt: number; K: number[] }[];
};

const cvec = (z: Cplx): CVec => ({ re: Float64Array.from(z.re), im: Float64Array.from(z.im) });
const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
const relErr = (got: ArrayLike<number>, want: number[]) => Math.max(...want.map((w, l) => Math.abs(got[l] - w))) / maxAbs(want);

/** The fixture's modes as a DiagonalSSM: N/2 conjugate-pair representatives, weight 2 each. */
function fixtureSSM(init: "s4d-lin" | "s4d-inv", B: CVec): DiagonalSSM {
  const M = fx.modes;
  return { name: init, N: fx.N, lambda: cvec(fx.lambda[init]), B, C: cvec(fx.C), weight: new Float64Array(M).fill(2) };
}

describe("S4D kernel fixtures (numpy, state-spaces/s4 convention)", () => {
  it("fixture shape: N = 16 as 8 conjugate-pair modes, L = 64, 2 inits × 2 discretizations × dt ∈ {0.01, 0.1}", () => {
    expect([fx.N, fx.modes, fx.L]).toEqual([16, 8, 64]);
    expect(fx.cases.map((c) => `${c.init} ${c.disc} ${c.dt}`).sort()).toEqual(
      ["s4d-inv", "s4d-lin"].flatMap((i) => ["bilinear", "zoh"].flatMap((d) => [0.01, 0.1].map((dt) => `${i} ${d} ${dt}`))).sort(),
    );
    for (const c of fx.cases) expect(c.K).toHaveLength(fx.L);
  });

  it("s4dLin(16) and s4dInv(16) have the fixture's Λ (8 modes, weight 2, B = 1) to 1e-15 relative", () => {
    for (const [init, d] of [["s4d-lin", s4dLin(16)], ["s4d-inv", s4dInv(16)]] as const) {
      // Our modes are stored sorted by Im λ; the fixture lists n = 0..N/2−1.
      const want = fx.lambda[init].re.map((re, n) => [re, fx.lambda[init].im[n]]).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
      expect(d.lambda.re.length).toBe(fx.modes);
      expect(Array.from(d.weight)).toEqual(new Array(fx.modes).fill(2));
      expect(Array.from(d.B.re)).toEqual(new Array(fx.modes).fill(1));
      expect(Array.from(d.B.im)).toEqual(new Array(fx.modes).fill(0));
      want.forEach(([re, im], m) => {
        expect(Math.abs(d.lambda.re[m] - re), `${init} Re λ[${m}]`).toBeLessThanOrEqual(1e-15 * Math.hypot(re, im));
        expect(Math.abs(d.lambda.im[m] - im), `${init} Im λ[${m}]`).toBeLessThanOrEqual(1e-15 * Math.hypot(re, im));
      });
    }
  });

  it("float64 reference (discretizeDiagonal + diagonalKernel) equals the fixture K to 1e-12 of max|K|", () => {
    for (const c of fx.cases) {
      const d = fixtureSSM(c.init, cvec(fx.B));
      const K = diagonalKernel(discretizeDiagonal(d, c.dt, c.disc), d.C!, fx.L);
      expect(relErr(K, c.K), `${c.init} ${c.disc} dt=${c.dt}`).toBeLessThan(1e-12);
    }
  });

  for (const backend of ["cpu", "wasm"] as const) {
    describe(`float32 tfjs kernel on ${backend}`, () => {
      beforeAll(async () => {
        await tf.setBackend(backend);
        await tf.ready();
      });

      it("ssmKernel (js and tf paths) equals the fixture K to 1e-5 of max|K|", () => {
        for (const c of fx.cases) {
          // The layer has B ≡ 1: fold B into C (in float64, before the float32 rounding).
          const B = cvec(fx.B), C0 = cvec(fx.C);
          const C = { re: C0.re.map((r, m) => r * B.re[m] - C0.im[m] * B.im[m]), im: C0.re.map((r, m) => r * B.im[m] + C0.im[m] * B.re[m]) };
          const d = { ...fixtureSSM(c.init, { re: new Float64Array(fx.modes).fill(1), im: new Float64Array(fx.modes) }), C };
          const p = initKernelParams(d, 1, { cInit: "init", dtMin: c.dt, dtMax: c.dt });
          for (const method of ["js", "tf"] as const) {
            const K = ssmKernel(p, fx.L, { disc: c.disc, method });
            expect(relErr(K.dataSync(), c.K), `${c.init} ${c.disc} dt=${c.dt} ${method}`).toBeLessThan(1e-5);
            K.dispose();
          }
          disposeKernelParams(p);
        }
      });
    });
  }
});
