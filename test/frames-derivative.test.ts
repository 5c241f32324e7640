import { describe, expect, it } from "vitest";
import { frameDerivative, gradient2 } from "../src/frames/derivative.js";
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

  it("works row-wise and rejects bad input", () => {
    const rows = [Float64Array.from([0, 1, 4, 9]), Float64Array.from([1, 1, 1, 1])];
    const d = frameDerivative(rows, 4);
    expect(Array.from(d[1])).toEqual([0, 0, 0, 0]);
    expect(() => gradient2([1, 2], 1)).toThrow(ParameterError);
    expect(() => gradient2([1, 2, 3], 0)).toThrow(/h/);
    expect(() => frameDerivative(rows, 5)).toThrow(ParameterError);
  });
});
