// Our HiPPO matrices against test/fixtures/s4-hippo.json: state-spaces/s4's `transition()` conventions,
// re-derived in numpy (scripts/fixtures/s4_hippo.py). LegT matches S4 at window θ = 2 (S4 halves A, B).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { hippoFouT, hippoLegS, hippoLegT } from "../src/ssm/hippo.js";
import { denseInit } from "../src/ssm/registry.js";
import type { DenseSSM } from "../src/ssm/types.js";

const fx = JSON.parse(readFileSync(new URL("./fixtures/s4-hippo.json", import.meta.url), "utf8")) as {
  cases: { name: "legs" | "legt" | "fout"; N: number; A: number[][]; B: number[] }[];
};

function maxDiff(s: DenseSSM, A: number[][], B: number[]): number {
  let m = 0;
  for (let i = 0; i < s.N; i++) {
    m = Math.max(m, Math.abs(s.B[i] - B[i]));
    for (let j = 0; j < s.N; j++) m = Math.max(m, Math.abs(s.A.get(i, j) - A[i][j]));
  }
  return m;
}

describe("HiPPO matrices vs state-spaces/s4's conventions", () => {
  it("the fixture holds legs, legt and fout at several N", () => {
    expect(fx.cases.map((c) => `${c.name}${c.N}`)).toEqual(["legs1", "legs2", "legs5", "legs8", "legt1", "legt2", "legt5", "legt8", "fout2", "fout8"]);
  });
  for (const c of fx.cases) {
    it(`${c.name} N = ${c.N}${c.name === "legt" ? " (θ = 2)" : ""} equals S4's to 1e-13`, () => {
      const ours = c.name === "legs" ? hippoLegS(c.N) : c.name === "legt" ? hippoLegT(c.N, { theta: 2 }) : hippoFouT(c.N);
      expect(maxDiff(ours, c.A, c.B)).toBeLessThan(1e-13);
    });
  }
  it("LegT's default window θ = 1 is S4's doubled, and the registry passes theta through", () => {
    const c = fx.cases.find((x) => x.name === "legt" && x.N === 5)!;
    const twice = (m: number[][]) => m.map((r) => r.map((v) => 2 * v));
    expect(maxDiff(hippoLegT(5), twice(c.A), c.B.map((v) => 2 * v))).toBeLessThan(1e-13);
    expect(maxDiff(hippoLegT(5), c.A, c.B)).toBeGreaterThan(0.4);
    expect(maxDiff(denseInit("legt", { N: 5, theta: 2 }), c.A, c.B)).toBeLessThan(1e-13);
    expect(() => denseInit("legt", { N: 5, theta: 0 })).toThrow(/theta/);
  });
});
