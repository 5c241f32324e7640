// The delay-reconstruction ablation of W4S4 §4 (protocol: walrus-math §8.2, follow exactly).
// A linear SSM with frozen (A, B), discretised at step dt, is driven by a unit-RMS signal u; the
// optimal linear readout C (ridge least squares) reconstructs y_k = u_{k−D}. The minimum MSE over C
// measures how much of the input's past the state holds: the lower, the better the memory.
//
// Porting note: W4S4's text has its numbers stripped (walrus-math §0, §8.1); the protocol details
// (L = 2000, D = 500, x_{−1} = 0, no bias, ρ = 1e-10, the dt grid) are the choices of walrus-math §8.2,
// which the independent float64 reference used for the §10 numbers we test against.
import type { DenseSSM, Discretization } from "../ssm/types.js";
import { denseInit, INIT_NAMES, requireStateSize, type InitName, type InitKnobs } from "../ssm/registry.js";
import { discretize, DISCRETIZATIONS } from "../ssm/discretize.js";
import { ParameterError, requireFinite, requireInt, requireOneOf } from "../errors.js";
import { makeSignal } from "./signals.js";
import { denseStates, delayTargets } from "./delayStates.js";
import { DEFAULT_RHO, ridgeFit, type RidgeSolver, RIDGE_SOLVERS } from "./ridge.js";


export { DISCRETIZATIONS };

/** Where the SSM comes from: a registry init (built at size N) or a DenseSSM passed directly. */
export interface SSMSource {
  /** Registry init name. Ignored when `ssm` is given. Default "walrus". */
  init?: InitName;
  /** State size for a registry init. Default 64. Must equal ssm.N when both are given. */
  N?: number;
  /** Extra construction options for the registry (wavelet, sMin, …). Default {}. */
  initOptions?: InitKnobs;
  /** A continuous-time SSM to use as is (tests, notebooks, custom constructions). */
  ssm?: DenseSSM;
}

/** Everything about one delay task except the step dt. */
export interface DelaySetting extends SSMSource {
  /** Signal spec for makeSignal ("white" | "ar1" | "bandlimited:<kmax>" | dataset) or the samples themselves. Default "ar1". */
  signal?: string | Float64Array;
  /** PRNG seed for a synthetic signal. Default 1. */
  seed?: number;
  /** Sequence length L. Default 2000 (walrus-math §8.2). Ignored when signal is an array (its length is used). */
  length?: number;
  /** Delay D, 0 ≤ D < L. Default 500. */
  delay?: number;
  /** Discretisation. Default "bilinear" (walrus-math §7: S4, HiPPO and the authors use it). */
  disc?: Discretization;
  /** Relative ridge ρ, λ = ρ·σ_max(X)². Default 1e-10 (walrus-math §8.2); 0 = plain optimum (informational). */
  rho?: number;
  /** Ridge solver. Default "svd"; "cholesky" solves the normal equations (they agree, see ridge.ts). */
  solver?: RidgeSolver;
}

export interface DelayTaskOptions extends DelaySetting {
  /** Step size dt > 0 (required). */
  dt: number;
}

export interface DelayTaskResult {
  init: string;
  N: number;
  dt: number;
  delay: number;
  length: number;
  disc: Discretization;
  solver: RidgeSolver;
  /** mean((X C − y)²) over the L − D target rows. */
  mse: number;
  log10mse: number;
  /** The fitted readout (length N). */
  C: Float64Array;
  /** Absolute ridge λ and σ_max of the design matrix. */
  lambda: number;
  sigmaMax: number;
}

/** Build (or check) the continuous SSM once; reuse it across dt values and seeds. */
export function resolveSSM(src: SSMSource): DenseSSM {
  if (src.ssm) {
    const ssm = src.ssm;
    if (src.N !== undefined && src.N !== ssm.N) throw new ParameterError("N", `${ssm.N} (the N of the given ssm)`, src.N);
    if (ssm.A.rows !== ssm.N || ssm.A.columns !== ssm.N || ssm.B.length !== ssm.N) {
      throw new ParameterError("ssm", `A ${ssm.N}×${ssm.N} and B of length ${ssm.N}`, `A ${ssm.A.rows}×${ssm.A.columns}, B ${ssm.B.length}`);
    }
    return ssm;
  }
  const init = requireOneOf("init", src.init ?? "walrus", INIT_NAMES as readonly InitName[]);
  const N = requireStateSize(init, src.N ?? 64, true);
  const ssm = denseInit(init, { ...(src.initOptions ?? {}), N });
  if (ssm.N !== N) throw new ParameterError("N", `a size init "${init}" can build exactly (it built ${ssm.N})`, N);
  return ssm;
}

/** Validate the setting and generate the input once. */
/** Sizes the delay task accepts: the state trajectory is length × N float64 (128 MiB at the product cap). */
export const DELAY_LIMITS = { length: 200000, gridCount: 1000, statesTimesLength: 1 << 24 } as const;

export function resolveSignal(s: DelaySetting): { u: Float64Array; D: number; label: string } {
  let u: Float64Array;
  let label: string;
  if (s.signal instanceof Float64Array) {
    u = s.signal;
    requireInt("length", u.length, 2, DELAY_LIMITS.length);
    for (let i = 0; i < u.length; i++) if (!Number.isFinite(u[i])) throw new ParameterError("signal", "finite samples", `non-finite at ${i}`);
    label = "custom";
  } else {
    const L = requireInt("length", s.length ?? 2000, 2, DELAY_LIMITS.length);
    const seed = requireInt("seed", s.seed ?? 1, 0, 0xffffffff);
    label = s.signal ?? "ar1";
    u = makeSignal(label, L, seed);
  }
  const D = s.delay ?? 500;
  if (typeof D !== "number" || !Number.isInteger(D) || D < 0 || D >= u.length) {
    throw new ParameterError("delay", `an integer in [0, ${u.length - 1}] (0 ≤ D < length ${u.length})`, D);
  }
  return { u, D, label };
}

function checkCommon(s: DelaySetting): { disc: Discretization; rho: number; solver: RidgeSolver } {
  return {
    disc: requireOneOf("disc", s.disc ?? "bilinear", DISCRETIZATIONS),
    rho: requireFinite("rho", s.rho ?? DEFAULT_RHO, { min: 0 }),
    solver: requireOneOf("solver", s.solver ?? "svd", RIDGE_SOLVERS),
  };
}

/** The core: MSE of the optimal readout for one (ssm, u, D, dt). Inputs are assumed validated. */
export function delayMseAt(
  ssm: DenseSSM,
  u: Float64Array,
  D: number,
  dt: number,
  opts: { disc?: Discretization; rho?: number; solver?: RidgeSolver } = {},
): DelayTaskResult {
  requireFinite("dt", dt, { min: 0, exclusiveMin: true });
  const disc = opts.disc ?? "bilinear";
  const solver = opts.solver ?? "svd";
  const sys = discretize(ssm, dt, disc);
  const X = denseStates(sys, u, D);
  const y = delayTargets(u, D);
  const fit = ridgeFit(X, y, { rho: opts.rho ?? DEFAULT_RHO, solver });
  return {
    init: ssm.name,
    N: ssm.N,
    dt,
    delay: D,
    length: u.length,
    disc,
    solver,
    mse: fit.mse,
    log10mse: Math.log10(fit.mse),
    C: fit.C,
    lambda: fit.lambda,
    sigmaMax: fit.sigmaMax,
  };
}

/** One delay task at one dt (walrus-math §8.2): build the SSM and the input, fit C, report the MSE. */
export function delayTaskMSE(opts: DelayTaskOptions): DelayTaskResult {
  requireFinite("dt", opts.dt, { min: 0, exclusiveMin: true });
  const common = checkCommon(opts);
  const { u, D } = resolveSignal(opts);
  const ssm = resolveSSM(opts);
  return delayMseAt(ssm, u, D, opts.dt, common);
}

/**
 * count log-spaced values from lo to hi inclusive. Defaults: the walrus-math §8.2 grid,
 * 21 values in [10^−3.5, 10^−1.5].
 */
export function dtGrid(lo = 10 ** -3.5, hi = 10 ** -1.5, count = 21): number[] {
  requireFinite("dt-grid lo", lo, { min: 0, exclusiveMin: true });
  requireFinite("dt-grid hi", hi, { min: lo });
  requireInt("dt-grid count", count, 1, DELAY_LIMITS.gridCount);
  if (count === 1) return [lo];
  const a = Math.log10(lo);
  const b = Math.log10(hi);
  return Array.from({ length: count }, (_, i) => 10 ** (a + ((b - a) * i) / (count - 1)));
}

export function meanStd(v: number[]): { mean: number; std: number } {
  const n = v.length;
  const mean = v.reduce((a, b) => a + b, 0) / n;
  // Sample standard deviation (n − 1); 0 for a single seed.
  const std = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std };
}
