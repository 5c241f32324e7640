// Discretization of continuous-time SSMs [S4D §3.1; walrus-math §7]:
//   bilinear: Ā = (I − Δ/2·A)⁻¹(I + Δ/2·A),  B̄ = (I − Δ/2·A)⁻¹ Δ B
//   ZOH:      Ā = e^{ΔA},                    B̄ = A⁻¹(e^{ΔA} − I) B
// Dense systems (float64, ml-matrix) and diagonal ones (per mode). Bilinear is the default, as in
// S4, HiPPO and the authors' code.
import { Matrix, solve } from "ml-matrix";
import { ParameterError, requireFinite, requireOneOf } from "../errors.js";
import type { DenseSSM, DiagonalSSM, DiscreteDenseSSM, DiscreteDiagonalSSM, Discretization } from "./types.js";

export const DISCRETIZATIONS: readonly Discretization[] = ["bilinear", "zoh"];

function checkDt(dt: number): number {
  return requireFinite("dt", dt, { min: 0, exclusiveMin: true });
}

/** A finite dt can still overflow Δ·A (dt = 1e308): refuse it rather than return NaN/Inf systems. */
function requireFiniteSystem(dt: number, ...arrays: ArrayLike<number>[]): void {
  for (const a of arrays) {
    for (let i = 0; i < a.length; i++) {
      if (!Number.isFinite(a[i])) throw new ParameterError("dt", "a step at which Ā and B̄ are finite (this one overflows Δ·A)", dt);
    }
  }
}

export function discretizeBilinear(ssm: DenseSSM, dt: number): DiscreteDenseSSM {
  checkDt(dt);
  const N = ssm.N;
  const I = Matrix.eye(N);
  const M = I.clone().sub(ssm.A.clone().mul(dt / 2));
  const P = I.clone().add(ssm.A.clone().mul(dt / 2));
  const Ab = solve(M, P);
  const Bb = solve(M, Matrix.columnVector(Array.from(ssm.B, (b) => b * dt))).getColumn(0);
  const out = { Ab, Bb: Float64Array.from(Bb), dt, method: "bilinear" as const };
  requireFiniteSystem(dt, out.Ab.to1DArray(), out.Bb);
  return out;
}

function normInf(X: Matrix): number {
  let m = 0;
  for (let i = 0; i < X.rows; i++) {
    let s = 0;
    for (let j = 0; j < X.columns; j++) s += Math.abs(X.get(i, j));
    m = Math.max(m, s);
  }
  return m;
}

/**
 * Matrix exponential by scaling and squaring with a (6, 6) Padé approximant: scale so that
 * ‖X/2^s‖∞ ≤ ½, where the Padé truncation error is below 1e-16, then square s times.
 */
export function expm(X: Matrix): Matrix {
  const n = X.rows;
  const nrm = normInf(X);
  if (!Number.isFinite(nrm)) throw new Error("expm: matrix has non-finite entries");
  const s = nrm > 0.5 ? Math.ceil(Math.log2(nrm / 0.5)) : 0;
  const Xs = X.clone().mul(2 ** -s);
  // Padé (6,6) coefficients c_k = (2q−k)! q! / ((2q)! k! (q−k)!), q = 6.
  const c = [1, 1 / 2, 5 / 44, 1 / 66, 1 / 792, 1 / 15840, 1 / 665280];
  let term = Matrix.eye(n);
  const Nn = Matrix.eye(n), Dd = Matrix.eye(n);
  for (let k = 1; k <= 6; k++) {
    term = term.mmul(Xs);
    const t = term.clone().mul(c[k]);
    Nn.add(t);
    if (k % 2 === 0) Dd.add(t);
    else Dd.sub(t);
  }
  let E = solve(Dd, Nn);
  for (let i = 0; i < s; i++) E = E.mmul(E);
  return E;
}

/**
 * ZOH through the exponential of the augmented matrix [[A, B], [0, 0]]·Δ, whose top-right block is
 * A⁻¹(e^{ΔA} − I)B without inverting A (so it also holds for singular A).
 */
export function discretizeZoh(ssm: DenseSSM, dt: number): DiscreteDenseSSM {
  checkDt(dt);
  const N = ssm.N;
  const Z = new Matrix(N + 1, N + 1);
  for (let i = 0; i < N; i++) {
    for (let j = 0; j < N; j++) Z.set(i, j, ssm.A.get(i, j) * dt);
    Z.set(i, N, ssm.B[i] * dt);
  }
  requireFiniteSystem(dt, Z.to1DArray());
  const E = expm(Z);
  requireFiniteSystem(dt, E.to1DArray());
  return { Ab: E.subMatrix(0, N - 1, 0, N - 1), Bb: Float64Array.from(E.subMatrix(0, N - 1, N, N).getColumn(0)), dt, method: "zoh" };
}

export function discretize(ssm: DenseSSM, dt: number, method: Discretization = "bilinear"): DiscreteDenseSSM {
  requireOneOf("disc", method, DISCRETIZATIONS);
  return method === "zoh" ? discretizeZoh(ssm, dt) : discretizeBilinear(ssm, dt);
}

/**
 * Per-mode discretization of a diagonal SSM:
 *   bilinear: Ā_n = (1 + Δλ/2)/(1 − Δλ/2),  B̄_n = Δ B_n/(1 − Δλ/2)
 *   ZOH:      Ā_n = e^{Δλ},                  B̄_n = (e^{Δλ} − 1)/λ · B_n   (→ Δ B_n as λ → 0)
 */
export function discretizeDiagonal(d: DiagonalSSM, dt: number, method: Discretization = "bilinear"): DiscreteDiagonalSSM {
  checkDt(dt);
  requireOneOf("disc", method, DISCRETIZATIONS);
  const M = d.lambda.re.length;
  const Ab = { re: new Float64Array(M), im: new Float64Array(M) };
  const Bb = { re: new Float64Array(M), im: new Float64Array(M) };
  for (let n = 0; n < M; n++) {
    const lr = d.lambda.re[n] * dt, li = d.lambda.im[n] * dt;
    let ar: number, ai: number, fr: number, fi: number; // Ā and the factor multiplying B_n
    if (method === "bilinear") {
      const nr = 1 + lr / 2, ni = li / 2, dr = 1 - lr / 2, di = -li / 2;
      const den = dr * dr + di * di;
      ar = (nr * dr + ni * di) / den;
      ai = (ni * dr - nr * di) / den;
      fr = (dt * dr) / den;
      fi = (-dt * di) / den;
    } else {
      const e = Math.exp(lr);
      ar = e * Math.cos(li);
      ai = e * Math.sin(li);
      // (e^{Δλ} − 1)/λ = Δ·(e^{z} − 1)/z with z = Δλ; series for small |z| avoids cancellation.
      const zr = lr, zi = li, z2 = zr * zr + zi * zi;
      let gr: number, gi: number;
      if (z2 < 1e-10) {
        gr = 1 + zr / 2;
        gi = zi / 2;
      } else {
        const er = Math.expm1(zr) * Math.cos(zi) - 2 * Math.sin(zi / 2) ** 2, ei = e * Math.sin(zi);
        gr = (er * zr + ei * zi) / z2;
        gi = (ei * zr - er * zi) / z2;
      }
      fr = dt * gr;
      fi = dt * gi;
    }
    Ab.re[n] = ar;
    Ab.im[n] = ai;
    Bb.re[n] = fr * d.B.re[n] - fi * d.B.im[n];
    Bb.im[n] = fr * d.B.im[n] + fi * d.B.re[n];
  }
  requireFiniteSystem(dt, Ab.re, Ab.im, Bb.re, Bb.im);
  return { Ab, Bb, weight: Float64Array.from(d.weight), dt, method };
}
