// Ridge least squares for the delay-task readout: min_C ‖X C − y‖² + λ‖C‖², λ = ρ·σ_max(X)²
// (walrus-math §8.2, step 4). Two independent solvers that must agree: SVD of X (the accurate one)
// and Cholesky of the normal equations (the fast, textbook one). Decompositions go through ml-matrix.
//
// Why a ridge at all: X is extremely ill-conditioned (cond up to 1e15 for LegS, and for every init at
// small dt), so the unregularised optimum depends on the solver's cut-off. ρ = 1e-10 makes SVD and
// Cholesky agree to ≥ 4 digits and makes the MSE invariant under orthogonal changes of state basis.
import { CholeskyDecomposition, EigenvalueDecomposition, Matrix, SVD } from "ml-matrix";
import { ParameterError, requireFinite } from "../errors.js";

/** A row-major dense design matrix (rows × cols) on one Float64Array. */
export interface DesignMatrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

export type RidgeSolver = "svd" | "cholesky";
export const RIDGE_SOLVERS: readonly RidgeSolver[] = ["svd", "cholesky"];

/** The default relative ridge ρ of walrus-math §8.2. */
export const DEFAULT_RHO = 1e-10;

export interface RidgeFit {
  /** The fitted readout, length cols. */
  C: Float64Array;
  /** The absolute ridge λ = ρ·σ_max(X)². */
  lambda: number;
  /** Largest singular value of X. */
  sigmaMax: number;
  /** mean((X C − y)²) over the rows (the ridge penalty is not included). */
  mse: number;
  solver: RidgeSolver;
}

function check(X: DesignMatrix, y: Float64Array, rho: number): void {
  if (!(X.rows >= 1 && X.cols >= 1 && X.data.length === X.rows * X.cols)) {
    throw new ParameterError("X", "rows >= 1, cols >= 1 and data.length = rows·cols", { rows: X.rows, cols: X.cols, length: X.data.length });
  }
  if (y.length !== X.rows) throw new ParameterError("y", `length ${X.rows} (rows of X)`, y.length);
  requireFinite("rho", rho, { min: 0 });
}

/** mean((X C − y)²), computed directly from the residual (no cancellation from expanding squares). */
export function residualMse(X: DesignMatrix, C: Float64Array, y: Float64Array): number {
  const { data, rows, cols } = X;
  let s = 0;
  for (let i = 0; i < rows; i++) {
    let r = -y[i];
    const o = i * cols;
    for (let j = 0; j < cols; j++) r += data[o + j] * C[j];
    s += r * r;
  }
  return s / rows;
}

function toMatrix(X: DesignMatrix): Matrix {
  return Matrix.from1DArray(X.rows, X.cols, X.data);
}

/**
 * Ridge solution by the SVD X = U S Vᵀ: C = Σ_i v_i · s_i/(s_i² + λ) · (u_iᵀ y).
 * With ρ = 0 this is the minimum-norm least-squares solution with the usual cut-off
 * s_i > max(rows, cols)·ε·s_1 (numpy's lstsq/pinv default); informational only (§8.2).
 */
export function ridgeSvd(X: DesignMatrix, y: Float64Array, rho = DEFAULT_RHO): RidgeFit {
  check(X, y, rho);
  const svd = new SVD(toMatrix(X), { autoTranspose: true });
  const s = svd.diagonal;
  const U = svd.leftSingularVectors;
  const V = svd.rightSingularVectors;
  const sigmaMax = s.length ? Math.max(...s) : 0;
  const lambda = rho * sigmaMax * sigmaMax;
  const cut = Math.max(X.rows, X.cols) * Number.EPSILON * sigmaMax;
  const C = new Float64Array(X.cols);
  for (let i = 0; i < s.length; i++) {
    const si = s[i];
    if (!(si > 0) || (rho === 0 && si <= cut)) continue;
    let uty = 0;
    for (let r = 0; r < X.rows; r++) uty += U.get(r, i) * y[r];
    const f = (si / (si * si + lambda)) * uty;
    for (let j = 0; j < X.cols; j++) C[j] += V.get(j, i) * f;
  }
  return { C, lambda, sigmaMax, mse: residualMse(X, C, y), solver: "svd" };
}

/** XᵀX (cols × cols, symmetric) and Xᵀy in one pass over the rows. */
export function normalEquations(X: DesignMatrix, y: Float64Array): { G: Float64Array; b: Float64Array } {
  const { data, rows, cols } = X;
  const G = new Float64Array(cols * cols);
  const b = new Float64Array(cols);
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    const yi = y[i];
    for (let j = 0; j < cols; j++) {
      const xj = data[o + j];
      b[j] += xj * yi;
      const gj = j * cols;
      for (let k = j; k < cols; k++) G[gj + k] += xj * data[o + k];
    }
  }
  for (let j = 0; j < cols; j++) for (let k = 0; k < j; k++) G[j * cols + k] = G[k * cols + j];
  return { G, b };
}

/**
 * Ridge solution by Cholesky of the normal equations (XᵀX + λI) C = Xᵀy. σ_max(X)² is the largest
 * eigenvalue of XᵀX (symmetric eigensolver), so this path never touches the SVD of X.
 * Needs ρ > 0 unless XᵀX is numerically positive definite; throws if the factorisation fails.
 */
export function ridgeCholesky(X: DesignMatrix, y: Float64Array, rho = DEFAULT_RHO): RidgeFit {
  check(X, y, rho);
  const { G, b } = normalEquations(X, y);
  const r = ridgeFromNormalEquations(G, b, rho);
  return { ...r, mse: residualMse(X, r.C, y), solver: "cholesky" };
}

/**
 * The Cholesky ridge from accumulated normal equations (G = Σ XᵀX, b = Σ Xᵀy over many sequences),
 * so a readout shared by a whole data set never needs the stacked design matrix in memory.
 */
export function ridgeFromNormalEquations(G: Float64Array, b: Float64Array, rho = DEFAULT_RHO): { C: Float64Array; lambda: number; sigmaMax: number } {
  const n = b.length;
  if (G.length !== n * n) throw new ParameterError("G", `${n}×${n} values (n = length of b)`, G.length);
  requireFinite("rho", rho, { min: 0 });
  const Gm = new Matrix(n, n);
  for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) Gm.set(j, k, G[j * n + k]);
  const ev = new EigenvalueDecomposition(Gm, { assumeSymmetric: true }).realEigenvalues;
  const sigma2 = Math.max(0, ...ev);
  const lambda = rho * sigma2;
  for (let j = 0; j < n; j++) Gm.set(j, j, Gm.get(j, j) + lambda);
  const chol = new CholeskyDecomposition(Gm);
  if (!chol.isPositiveDefinite()) {
    throw new Error(`ridgeCholesky: XᵀX + λI is not positive definite (λ = ${lambda.toExponential(3)}); use rho > 0 or the svd solver`);
  }
  const sol = chol.solve(Matrix.columnVector(Array.from(b)));
  const C = new Float64Array(n);
  for (let j = 0; j < n; j++) C[j] = sol.get(j, 0);
  return { C, lambda, sigmaMax: Math.sqrt(sigma2) };
}

/** Dispatch on the solver name. */
export function ridgeFit(X: DesignMatrix, y: Float64Array, opts: { rho?: number; solver?: RidgeSolver } = {}): RidgeFit {
  const solver = opts.solver ?? "svd";
  if (!RIDGE_SOLVERS.includes(solver)) throw new ParameterError("solver", `one of ${RIDGE_SOLVERS.join(", ")}`, solver);
  return solver === "svd" ? ridgeSvd(X, y, opts.rho ?? DEFAULT_RHO) : ridgeCholesky(X, y, opts.rho ?? DEFAULT_RHO);
}
