// d/dx of sampled rows by finite differences (walrus-math §3.3 step 2, §3.5).
//
// Porting note: echbaba/walrus `SSM_Builder.safari()` uses findiff.FinDiff(1, 1/G) with accuracy 2, which is
// numpy.gradient(F, h, axis=1, edge_order=2): central differences inside, one-sided 3-point at both ends.
// That is gradient2, used by the "left-point" quadrature. The "gregory" quadrature pairs its third-order
// sums with gradient4: a second-order derivative would cap the construction at order 2 (walrus-math §3.5).
import { ParameterError, requireFinite } from "../errors.js";
import type { Quadrature } from "./quadrature.js";

/** Derivative of one sampled function with spacing h (length ≥ 3). Exact on quadratics. */
export function gradient2(f: ArrayLike<number>, h: number): Float64Array {
  requireFinite("h", h, { min: 0, exclusiveMin: true });
  const n = f.length;
  if (n < 3) throw new ParameterError("f.length", "an integer >= 3", n);
  const out = new Float64Array(n);
  const inv2h = 1 / (2 * h);
  out[0] = (-3 * f[0] + 4 * f[1] - f[2]) * inv2h;
  for (let j = 1; j < n - 1; j++) out[j] = (f[j + 1] - f[j - 1]) * inv2h;
  out[n - 1] = (3 * f[n - 1] - 4 * f[n - 2] + f[n - 3]) * inv2h;
  return out;
}

/**
 * Derivative of one sampled function with spacing h (length ≥ 5), fourth order everywhere. Exact on
 * quartics: central (f_{j−2} − 8f_{j−1} + 8f_{j+1} − f_{j+2})/12h inside, the one-sided five-point
 * stencils at the two samples nearest each end.
 */
export function gradient4(f: ArrayLike<number>, h: number): Float64Array {
  requireFinite("h", h, { min: 0, exclusiveMin: true });
  const n = f.length;
  if (n < 5) throw new ParameterError("f.length", "an integer >= 5", n);
  const out = new Float64Array(n);
  const c = 1 / (12 * h);
  out[0] = (-25 * f[0] + 48 * f[1] - 36 * f[2] + 16 * f[3] - 3 * f[4]) * c;
  out[1] = (-3 * f[0] - 10 * f[1] + 18 * f[2] - 6 * f[3] + f[4]) * c;
  for (let j = 2; j < n - 2; j++) out[j] = (f[j - 2] - 8 * f[j - 1] + 8 * f[j + 1] - f[j + 2]) * c;
  out[n - 2] = (3 * f[n - 1] + 10 * f[n - 2] - 18 * f[n - 3] + 6 * f[n - 4] - f[n - 5]) * c;
  out[n - 1] = (25 * f[n - 1] - 48 * f[n - 2] + 36 * f[n - 3] - 16 * f[n - 4] + 3 * f[n - 5]) * c;
  return out;
}

/** Row-wise derivative of a frame sampled on q's grid (spacing 1/G), with the rule's own stencil. */
export function frameDerivative(rows: readonly Float64Array[], q: Quadrature): Float64Array[] {
  const d = q.rule === "gregory" ? gradient4 : gradient2;
  return rows.map((r) => {
    if (r.length !== q.x.length) throw new ParameterError("rows[n].length", `the quadrature's ${q.x.length} samples`, r.length);
    return d(r, 1 / q.G);
  });
}
