// The diagonal S4D initializations [S4D §4, eqs. (8)–(9)], as DiagonalSSMs (types.ts): N/2
// representatives of conjugate pairs, B ≡ 1 (absorbed into C, which the layer learns).
import { Matrix } from "ml-matrix";
import { ParameterError, requireInt } from "../errors.js";
import { legsNplr } from "./hippo.js";
import { diagonalize } from "./diagonal.js";
import type { DiagonalSSM } from "./types.js";

const MAX_N = 4096;

function requireEven(N: number): number {
  requireInt("N", N, 2, MAX_N);
  if (N % 2 !== 0) throw new ParameterError("N", "an even integer >= 2 (conjugate-pair initializations store N/2 modes)", N);
  return N;
}

function pairs(name: string, N: number, re: (n: number) => number, im: (n: number) => number): DiagonalSSM {
  const M = N / 2;
  const d: DiagonalSSM = {
    name,
    N,
    lambda: { re: new Float64Array(M), im: new Float64Array(M) },
    B: { re: new Float64Array(M).fill(1), im: new Float64Array(M) },
    C: { re: new Float64Array(M).fill(1), im: new Float64Array(M) },
    weight: new Float64Array(M).fill(2),
  };
  // Stored sorted by imaginary part (types.ts), whatever order the formula enumerates.
  const idx = Array.from({ length: M }, (_, n) => n).sort((a, b) => im(a) - im(b) || re(a) - re(b));
  idx.forEach((n, m) => {
    d.lambda.re[m] = re(n);
    d.lambda.im[m] = im(n);
  });
  return d;
}

/**
 * S4D-Lin: λ_n = −½ + iπn, n = 0..N/2−1. The n = 0 mode is real (−½) with weight 2: S4D counts every
 * stored mode twice through 2·Re, so it is a repeated real eigenvalue.
 * Porting note: state-spaces/s4 stores −½ − iπn (the conjugate); only Re of the pair sum is used.
 */
export function s4dLin(N: number): DiagonalSSM {
  requireEven(N);
  return pairs("s4d-lin", N, () => -0.5, (n) => Math.PI * n);
}

/** S4D-Inv: λ_n = −½ + i(N/π)(N/(2n+1) − 1), n = 0..N/2−1 [S4D eq. (8)]. */
export function s4dInv(N: number): DiagonalSSM {
  requireEven(N);
  return pairs("s4d-inv", N, () => -0.5, (n) => (N / Math.PI) * (N / (2 * n + 1) - 1));
}

/**
 * S4D-Real: λ_n = −(n+1), n = 0..N−1 — the diagonal of HiPPO-LegS, N distinct real modes of weight 1.
 * Porting note: state-spaces/s4 `init='real'` stores N/2 real modes and doubles them through 2·Re;
 * we follow the S4D paper's N real states, so odd N is allowed.
 */
export function s4dReal(N: number): DiagonalSSM {
  requireInt("N", N, 1, MAX_N);
  const d: DiagonalSSM = {
    name: "s4d-real",
    N,
    lambda: { re: Float64Array.from({ length: N }, (_, n) => -(n + 1)), im: new Float64Array(N) },
    B: { re: new Float64Array(N).fill(1), im: new Float64Array(N) },
    C: { re: new Float64Array(N).fill(1), im: new Float64Array(N) },
    weight: new Float64Array(N).fill(1),
  };
  // Sorted by Im (all 0) then Re: ascending real part.
  d.lambda.re.reverse();
  return d;
}

/**
 * S4D-LegS ("HiPPO-D"): the eigenvalues of the normal part A_N of LegS's NPLR form (−½ + iω), with
 * B̃ = V*·(B/2) [S4D Thm 3]. A_N is normal, so V is unitary and the diagonalization is stable.
 * Returned with B absorbed (B̃ = 1) like every registry init, and C = the residues of the Bᵀ readout
 * that the dense inits use: Bᵀ(sI − A_N)⁻¹(B/2) = Σ_n C_n/(s − λ_n), C_n = |(V*B)_n|²/2, so
 * Σ_n C_n = BᵀB/2 = N²/2 over all N modes.
 * Porting note: state-spaces/s4 `dplr(init='legs')` takes B̃ = V*B from `nplr` without the ½ ("we drop
 * this 0.5 factor") and draws C at random; with the same Bᵀ readout its residues would be twice ours.
 * `nplr(..., B_clip=2)` also clips Im(B̃) to [−2, 2]; which modes that touches depends on the phases of
 * the eigenvectors (at N = 64: 11 of 32 with S4's, as reported in issue 15; 9 with ours). We keep the
 * theorem's ½ and do not clip: B is absorbed into C, which the layer learns; neither changes Λ.
 */
export function s4dLegS(N: number): DiagonalSSM {
  requireEven(N);
  const { AN, B } = legsNplr(N);
  const d = diagonalize({ name: "s4d-legs", N, A: new Matrix(AN), B: B.map((b) => b / 2) }, { C: B });
  if (d.weight.some((w) => w !== 2)) throw new Error("s4dLegS: expected only conjugate pairs");
  return d;
}
