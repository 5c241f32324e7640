// Every consumer (kernels, layers, the delay task, the CLI, notebooks) asks for an initialization by
// name here, so a name means the same matrices everywhere.
import { ParameterError, requireFinite, requireInt } from "../errors.js";
import { legendreValues } from "../frames/legendre.js";
import { hippoFouT, hippoLegS, hippoLegT } from "./hippo.js";
import { s4dInv, s4dLegS, s4dLin, s4dReal } from "./s4dInit.js";
import { diagonalize, realBlockForm } from "./diagonal.js";
import { walrus, walrusDualReadout, type WalrusOptions, type WalrusSSM } from "./walrus.js";
import type { DenseSSM, DiagonalSSM } from "./types.js";

export const INIT_NAMES = ["legs", "legt", "fout", "s4d-legs", "s4d-inv", "s4d-lin", "s4d-real", "walrus", "walrus-translated"] as const;
export type InitName = (typeof INIT_NAMES)[number];

/**
 * What each init is, declared once. `maxN` is the largest state size we accept, set from measured
 * build times on a 2-core CPU (`w4s4 init <name> --N <n> --json`, Node 20, 2026-12-01):
 * legs N = 1024 1.8 s, 2048 12 s (float64 eigenvalues of a dense N × N);
 * s4d-* are closed forms (N = 1024 in 0.7 s, dominated by printing the dense block form);
 * walrus N = 64 4 s, 128 27 s, 256 115 s (frame, dual and Theorem-1 reduction).
 */
export const INITS: Record<InitName, { summary: string; form: "dense" | "diagonal"; maxN: number }> = {
  legs: { summary: "HiPPO-LegS (scaled Legendre), dense, real eigenvalues −1..−N", form: "dense", maxN: 2048 },
  legt: { summary: "HiPPO-LegT (translated Legendre, window 1), dense", form: "dense", maxN: 2048 },
  fout: { summary: "HiPPO-FouT (translated Fourier), dense", form: "dense", maxN: 2048 },
  "s4d-legs": { summary: "S4D-LegS: diagonal of LegS's normal part, −½ + iω", form: "diagonal", maxN: 2048 },
  "s4d-inv": { summary: "S4D-Inv: −½ + i(N/π)(N/(2n+1) − 1)", form: "diagonal", maxN: 16384 },
  "s4d-lin": { summary: "S4D-Lin: −½ + iπn", form: "diagonal", maxN: 16384 },
  "s4d-real": { summary: "S4D-Real: −(n+1), real", form: "diagonal", maxN: 16384 },
  walrus: { summary: "WaLRUS (scaled), redundant Daubechies frame, Theorem-1 reduced", form: "dense", maxN: 256 },
  "walrus-translated": { summary: "WaLRUS (translated measure), Theorem-1 reduced", form: "dense", maxN: 256 },
};

/** A dense N × N (A for `init`, the real block form of a diagonal init) stops here: 32 MiB in float64. */
export const MAX_DENSE_N = 2048;

export const INIT_SUMMARIES: Record<InitName, string> = Object.fromEntries(Object.entries(INITS).map(([k, v]) => [k, v.summary])) as Record<InitName, string>;

/** Validates N against the init's bound (before any work); `dense` also applies MAX_DENSE_N. */
export function requireStateSize(name: InitName, N: unknown, dense = false): number {
  const max = dense ? Math.min(INITS[name].maxN, MAX_DENSE_N) : INITS[name].maxN;
  return requireInt("N", N, 1, max);
}

/** Options for any init; the wavelet ones only apply to walrus*. */
export interface InitOptions {
  /** State size. */
  N: number;
  /** Daubechies wavelet for WaLRUS, "db1".."db20". Default "db11". */
  wavelet?: string;
  sMin?: number;
  sMax?: number;
  eta?: number;
  grid?: number;
  naturalRank?: boolean;
}

export function requireInitName(name: unknown): InitName {
  if (typeof name !== "string" || !(INIT_NAMES as readonly string[]).includes(name)) {
    throw new ParameterError("init", `one of ${INIT_NAMES.join(", ")}`, name);
  }
  return name as InitName;
}

function walrusOpts(name: InitName, o: InitOptions): WalrusOptions {
  return { N: o.N, wavelet: o.wavelet, sMin: o.sMin, sMax: o.sMax, eta: o.eta, grid: o.grid, naturalRank: o.naturalRank, measure: name === "walrus-translated" ? "translated" : "scaled" };
}

function diagonalS4D(name: InitName, N: number): DiagonalSSM | undefined {
  switch (name) {
    case "s4d-legs": return s4dLegS(N);
    case "s4d-inv": return s4dInv(N);
    case "s4d-lin": return s4dLin(N);
    case "s4d-real": return s4dReal(N);
    default: return undefined;
  }
}

/**
 * The init as a dense (A, B), S4 sign. S4D inits come in the real block-diagonal form of their
 * conjugate pairs (B ≡ 1 absorbed → B = (1, 0) per pair).
 */
export function denseInit(name: InitName | string, opts: InitOptions): DenseSSM {
  const n = requireInitName(name);
  requireStateSize(n, opts.N, true);
  switch (n) {
    case "legs": return hippoLegS(opts.N);
    case "legt": return hippoLegT(opts.N);
    case "fout": return hippoFouT(opts.N);
    case "walrus":
    case "walrus-translated": return walrus(walrusOpts(n, opts));
    default: {
      const d = diagonalS4D(n, opts.N)!;
      const { A, B } = realBlockForm(d);
      return { name: n, N: d.N, A, B, meta: { form: "real block-diagonal of the conjugate pairs" } };
    }
  }
}

/**
 * The init as a diagonal SSM (one representative per conjugate pair, B absorbed, C = residues of the
 * Bᵀ readout for dense inits). Dense inits are diagonalized in float64; `condV` says how trustworthy
 * that is (LegS: ~1e20 at N = 64 — its diagonal form is only good for small N, walrus-math §2).
 */
export function diagonalInit(name: InitName | string, opts: InitOptions): DiagonalSSM {
  const n = requireInitName(name);
  requireStateSize(n, opts.N);
  const d = diagonalS4D(n, opts.N);
  if (d) return d;
  const out = diagonalize(denseInit(n, opts));
  if ((out.condV ?? 0) > 1e8) out.meta = { ...out.meta, warning: `eigenvector matrix is ill-conditioned (cond ${out.condV!.toExponential(1)}): use the dense form for kernels` };
  return out;
}

export type ReadoutSpec = "bt" | "ones" | { dual: number };

/** Parse "bt" | "ones" | "dual:<x>". */
export function parseReadout(s: string): ReadoutSpec {
  if (s === "bt" || s === "ones") return s;
  const m = /^dual:(.+)$/.exec(s);
  if (m) return { dual: requireFinite("readout dual coordinate x", Number(m[1]), { min: 0, max: 1 }) };
  throw new ParameterError("readout", "bt, ones or dual:<x> with x in [0, 1]", s);
}

/**
 * Readout row C (length N) on the dense state of `ssm`: "bt" → Bᵀ; "ones" → 1; dual:x → the
 * reconstruction functional at frame coordinate x (WaLRUS: the truncated dual frame; LegS/LegT: the
 * orthonormal Legendre functions L_n(x), since their frame is its own dual).
 */
export function readout(ssm: DenseSSM, spec: ReadoutSpec): Float64Array {
  if (spec !== "bt" && spec !== "ones" && (typeof spec !== "object" || spec === null)) throw new ParameterError("readout", '"bt", "ones" or {dual: x} with x in [0, 1]', spec);
  if (spec === "bt") return Float64Array.from(ssm.B);
  if (spec === "ones") return new Float64Array(ssm.N).fill(1);
  const x = requireFinite("readout dual coordinate x", spec?.dual, { min: 0, max: 1 });
  if ((ssm.name === "walrus" || ssm.name === "walrus-translated") && "W" in ssm) return walrusDualReadout(ssm as WalrusSSM, x);
  if (ssm.name === "legs" || ssm.name === "legt") return legendreValues(ssm.N, x);
  throw new ParameterError("readout", `bt or ones for init ${ssm.name} (dual:<x> exists for walrus, walrus-translated, legs, legt)`, `dual:${x}`);
}
