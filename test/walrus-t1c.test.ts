import { describe, expect, it } from "vitest";
import { LuDecomposition, Matrix } from "ml-matrix";
import { safari } from "../src/ssm/safari.js";
import { walrus, walrusDualReadout, walrusParts } from "../src/ssm/walrus.js";

// Small dense float64 reference kept local to this test: bilinear discretisation and kernel by powers.
function bilinear(A: Matrix, B: Float64Array, dt: number) {
  const n = A.rows;
  const I = Matrix.eye(n);
  const lu = new LuDecomposition(Matrix.sub(I, Matrix.mul(A, dt / 2)));
  const Ab = lu.solve(Matrix.add(I, Matrix.mul(A, dt / 2)));
  const Bb = lu.solve(Matrix.columnVector(Array.from(B)).mul(dt));
  return { Ab, Bb };
}
function kernelByPowers(A: Matrix, B: Float64Array, C: Float64Array, dt: number, L: number): Float64Array {
  const { Ab, Bb } = bilinear(A, B, dt);
  const Cm = Matrix.rowVector(Array.from(C));
  const K = new Float64Array(L);
  let v = Bb;
  for (let l = 0; l < L; l++) {
    K[l] = Cm.mmul(v).get(0, 0);
    v = Ab.mmul(v);
  }
  return K;
}

describe("W4S4 Theorem 1 (T1c): only the r reduced modes matter for reconstruction readouts", () => {
  it("T1c: reduced kernel = full-frame kernel for a readout through the reconstruction (bilinear, dense powers, 1e-12)", () => {
    for (const N of [8, 16]) {
      const p = walrusParts({ N });
      const full = safari(p.sampled, { dual: p.dual });
      const red = walrus({ N });
      const dt = 3e-3;
      const D = 200;
      const cRed = walrusDualReadout(red, Math.exp(-D * dt));
      // The same functional on the full frame state: c_rec·Pinv = (G·W[j,:]) U_rᵀ.
      const cFull = Float64Array.from(Matrix.rowVector(Array.from(cRed)).mmul(p.dual.Ur.transpose()).getRow(0));
      const L = 600;
      const kr = kernelByPowers(red.A, red.B, cRed, dt, L);
      const kf = kernelByPowers(full.A, full.B, cFull, dt, L);
      let scale = 0;
      let err = 0;
      for (let l = 0; l < L; l++) {
        scale = Math.max(scale, Math.abs(kr[l]));
        err = Math.max(err, Math.abs(kr[l] - kf[l]));
      }
      console.log(`T1c N=${N}: max kernel ${scale.toExponential(2)}, max rel diff ${(err / scale).toExponential(2)}`);
      expect(scale).toBeGreaterThan(1e-3);
      expect(err / scale).toBeLessThan(1e-12);
    }
  });
});
