// Shared shapes of the float64 SSM stage. Every construction returns these; every consumer
// (kernels, delay task, CLI, notebooks) reads only these. See ../shared/notes/walrus-math.md §1.
import type { Matrix } from "ml-matrix";

/** Complex vector as split real/imaginary float64 arrays (same length). */
export interface CVec {
  re: Float64Array;
  im: Float64Array;
}

/**
 * Continuous-time LTI state space in the S4 sign convention (walrus-math §1):
 * x'(t) = A x(t) + B u(t), A Hurwitz. A is N×N, B has length N.
 * For the scaled-measure (time-varying) reading of the same (A, B): x' = (1/t)(A x + B u).
 */
export interface DenseSSM {
  /** Init name from the registry (e.g. "legs", "walrus"). */
  name: string;
  /** State size N. */
  N: number;
  A: Matrix;
  B: Float64Array;
  /** Construction details worth reporting (wavelet, scales, frame size, rank ...). JSON-serialisable. */
  meta?: Record<string, unknown>;
}

/**
 * Diagonal SSM in "one representative per conjugate pair" form (S4D §3.3).
 *
 * Mode n has eigenvalue lambda_n and input coefficient B_n (for B absorbed into C, B_n = 1).
 * weight_n = 2 for a representative of a complex-conjugate pair (its conjugate is implicit),
 * weight_n = 1 for a real eigenvalue. The impulse response of the continuous system is
 *   k(t) = Re Σ_n weight_n · C_n · e^{lambda_n t} · B_n.
 * Representatives have Im(lambda) > 0; real modes have Im(lambda) = 0.
 * Modes are sorted by imaginary part, then real part (ascending).
 */
export interface DiagonalSSM {
  name: string;
  /** Real state size N = Σ weight_n. */
  N: number;
  lambda: CVec;
  B: CVec;
  weight: Float64Array;
  /**
   * Residue-style readout for the reference readout C = Bᵀ (or the init's own C), in the same basis:
   * C_n such that C(sI − A)^{-1}B = Σ_n weight_n-expanded C_n B_n / (s − lambda_n). Optional.
   */
  C?: CVec;
  /** Condition number (2-norm) of the eigenvector matrix used to diagonalise, when one was used. */
  condV?: number;
  meta?: Record<string, unknown>;
}

export type Discretization = "bilinear" | "zoh";

/** Discrete-time dense system x_k = Ab x_{k-1} + Bb u_k. */
export interface DiscreteDenseSSM {
  Ab: Matrix;
  Bb: Float64Array;
  dt: number;
  method: Discretization;
}

/** Discrete-time diagonal system, per mode: x_k = Ab_n x_{k-1} + Bb_n u_k. Same weights as DiagonalSSM. */
export interface DiscreteDiagonalSSM {
  Ab: CVec;
  Bb: CVec;
  weight: Float64Array;
  dt: number;
  method: Discretization;
}
