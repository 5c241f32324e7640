// d/dx of sampled rows by second-order finite differences (walrus-math §3.3 step 2).
//
// Porting note: echbaba/walrus `SSM_Builder.safari()` uses findiff.FinDiff(1, 1/G) with accuracy 2, which is
// numpy.gradient(F, h, axis=1, edge_order=2): central differences inside, one-sided 3-point at both ends.
import { ParameterError, requireFinite } from "../errors.js";

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

/** Row-wise derivative of a sampled frame on the grid x_j = j/G (spacing 1/G). */
export function frameDerivative(rows: readonly Float64Array[], G: number): Float64Array[] {
  return rows.map((r) => {
    if (r.length !== G) throw new ParameterError("rows[n].length", `G (${G})`, r.length);
    return gradient2(r, 1 / G);
  });
}
