import { describe, expect, it } from "vitest";
import { frameDerivative, gradient2, gradient4 } from "../src/frames/derivative.js";
import { quadrature } from "../src/frames/quadrature.js";
import { ParameterError } from "../src/errors.js";

describe("second-order finite differences (numpy.gradient edge_order = 2)", () => {
  it("are exact on quadratics, ends included (1e-9 relative)", () => {
    const G = 512;
    const f = new Float64Array(G);
    for (let j = 0; j < G; j++) {
      const x = j / G;
      f[j] = 3 * x * x - 2 * x + 0.5;
    }
    const d = gradient2(f, 1 / G);
    for (let j = 0; j < G; j++) expect(Math.abs(d[j] - (6 * (j / G) - 2))).toBeLessThan(1e-9 * 4);
  });

  it("use the stated stencils: (−3f0+4f1−f2)/2h, central, (3f_{n−1}−4f_{n−2}+f_{n−3})/2h", () => {
    const f = [1, 4, 2, 8, 5];
    const d = gradient2(f, 0.5);
    expect(d[0]).toBe(-3 * 1 + 4 * 4 - 2);
    expect(d[2]).toBe(8 - 4);
    expect(d[4]).toBe(3 * 5 - 4 * 8 + 2);
  });

  it("converges as h² on a cubic's interior (error ratio 4 ± 0.05 when G doubles)", () => {
    const err = (G: number) => {
      const f = Float64Array.from({ length: G }, (_, j) => Math.sin(3 * (j / G)));
      const d = gradient2(f, 1 / G);
      let e = 0;
      for (let j = 1; j < G - 1; j++) e = Math.max(e, Math.abs(d[j] - 3 * Math.cos(3 * (j / G))));
      return e;
    };
    expect(err(256) / err(512)).toBeGreaterThan(3.95);
    expect(err(256) / err(512)).toBeLessThan(4.05);
  });

  it("works row-wise with the quadrature's stencil and rejects bad input", () => {
    const q = quadrature("left-point", 16);
    const rows = [Float64Array.from({ length: 16 }, (_, j) => (j / 16) ** 2), new Float64Array(16).fill(1)];
    const d = frameDerivative(rows, q);
    expect(Array.from(d[1])).toEqual(new Array(16).fill(0));
    expect(Array.from(d[0])).toEqual(Array.from(gradient2(rows[0], 1 / 16)));
    const g = quadrature("gregory", 16);
    const rg = [Float64Array.from(g.x, (x) => x ** 3)];
    expect(Array.from(frameDerivative(rg, g)[0])).toEqual(Array.from(gradient4(rg[0], 1 / 16)));
    expect(() => gradient2([1, 2], 1)).toThrow(ParameterError);
    expect(() => gradient2([1, 2, 3], 0)).toThrow(/h/);
    expect(() => gradient4([1, 2, 3, 4], 1)).toThrow(/f.length/);
    expect(() => frameDerivative(rows, g)).toThrow(/17 samples/);
  });
});

describe("fourth-order finite differences (the gregory quadrature's derivative, walrus-math §3.5)", () => {
  it("are exact on quartics, ends included (1e-9 relative)", () => {
    const G = 256;
    const x = Float64Array.from({ length: G + 1 }, (_, j) => j / G);
    const d = gradient4(Float64Array.from(x, (t) => 2 * t ** 4 - t ** 3 + 3 * t - 1), 1 / G);
    for (let j = 0; j <= G; j++) expect(Math.abs(d[j] - (8 * x[j] ** 3 - 3 * x[j] ** 2 + 3))).toBeLessThan(1e-9 * 8);
  });

  it("converge as h⁴ at the ends and inside (error ratio 16 ± 1.5 when G doubles)", () => {
    const err = (G: number, at: (n: number) => number[]) => {
      const f = Float64Array.from({ length: G + 1 }, (_, j) => Math.sin(3 * (j / G)));
      const d = gradient4(f, 1 / G);
      return Math.max(...at(G).map((j) => Math.abs(d[j] - 3 * Math.cos(3 * (j / G)))));
    };
    const ends = (G: number) => [0, 1, G - 1, G];
    const inside = (G: number) => [G / 4, G / 2];
    for (const at of [ends, inside]) {
      const r = err(64, at) / err(128, at);
      expect(r).toBeGreaterThan(14.5);
      expect(r).toBeLessThan(17.5);
    }
  });
});
