// Every consumer (kernels, layers, the delay task, the CLI, notebooks) asks for an initialization by
// name here, so a name means the same matrices everywhere.
import { ParameterError, rejectUnknownKeys, requireFinite, requireInt } from "../errors.js";
import { legendreValues } from "../frames/legendre.js";
import { hippoFouT, hippoLegS, hippoLegT, type LegTKnobs } from "./hippo.js";
import { s4dInv, s4dLegS, s4dLin, s4dReal } from "./s4dInit.js";
import { diagonalize, realBlockForm } from "./diagonal.js";
import { WALRUS_KNOB_KEYS, WALRUS_MAX_N, walrus, walrusDualReadout, type WalrusKnobs, type WalrusSSM } from "./walrus.js";
import type { DenseSSM, DiagonalSSM } from "./types.js";

export const INIT_NAMES = ["legs", "legt", "fout", "s4d-legs", "s4d-inv", "s4d-lin", "s4d-real", "walrus", "walrus-translated"] as const;
export type InitName = (typeof INIT_NAMES)[number];

/** Options for any init: the state size, the WaLRUS knobs and LegT's window (each ignored by the other inits). */
export interface InitOptions extends WalrusKnobs, LegTKnobs {
  /** State size. */
  N: number;
}

/** The knobs an init takes besides N (the layer's and the tasks' `initOptions`). */
export type InitKnobs = WalrusKnobs & LegTKnobs;

/** Every key an `initOptions` object may have: the WaLRUS knobs and LegT's θ. */
export const INIT_KNOB_KEYS: readonly (keyof InitKnobs)[] = [...WALRUS_KNOB_KEYS, "theta"];

/** `o` (default {}) after checking that every key is an init knob (a misspelt knob is an error, not ignored). */
export function requireInitKnobs(where: string, o: InitKnobs | undefined): InitKnobs {
  rejectUnknownKeys(where, o, INIT_KNOB_KEYS);
  return o ?? {};
}

export type InitFamily = "hippo" | "s4d" | "walrus";

/**
 * One entry per init, declared once and asked by everyone: what it is, how large it may be, and how it
 * is built. `form` says what `build` returns: the dense (A, B) or the diagonal (Λ, C with B absorbed).
 * `maxN` is the largest state size we accept, set from measured build times on a 2-core CPU
 * (`w4s4 init <name> --N <n> --json`, Node 20, 2026-12-01): legs N = 1024 1.8 s, 2048 12 s (float64
 * eigenvalues of a dense N × N); s4d-* are closed forms (N = 1024 in 0.7 s, dominated by printing the
 * dense block form); walrus N = 64 4 s, 128 27 s, 256 115 s (frame, dual and Theorem-1 reduction).
 */
export type InitEntry = { summary: string; family: InitFamily; maxN: number } & (
  | { form: "dense"; build: (o: InitOptions) => DenseSSM }
  | { form: "diagonal"; build: (o: InitOptions) => DiagonalSSM }
);

// resolveWalrusOptions reads only the WaLRUS options, so LegT's theta passes through unused.
const walrusOf = (measure: "scaled" | "translated") => (o: InitOptions): WalrusSSM => walrus({ ...o, measure });

export const INITS: Record<InitName, InitEntry> = {
  legs: { summary: "HiPPO-LegS (scaled Legendre), dense, real eigenvalues −1..−N", family: "hippo", form: "dense", maxN: 2048, build: (o) => hippoLegS(o.N) },
  legt: { summary: "HiPPO-LegT (translated Legendre, window θ, default 1), dense", family: "hippo", form: "dense", maxN: 2048, build: (o) => hippoLegT(o.N, { theta: o.theta }) },
  fout: { summary: "HiPPO-FouT (translated Fourier), dense", family: "hippo", form: "dense", maxN: 2048, build: (o) => hippoFouT(o.N) },
  "s4d-legs": { summary: "S4D-LegS: diagonal of LegS's normal part, −½ + iω", family: "s4d", form: "diagonal", maxN: 2048, build: (o) => s4dLegS(o.N) },
  "s4d-inv": { summary: "S4D-Inv: −½ + i(N/π)(N/(2n+1) − 1)", family: "s4d", form: "diagonal", maxN: 16384, build: (o) => s4dInv(o.N) },
  "s4d-lin": { summary: "S4D-Lin: −½ + iπn", family: "s4d", form: "diagonal", maxN: 16384, build: (o) => s4dLin(o.N) },
  "s4d-real": { summary: "S4D-Real: −(n+1), real", family: "s4d", form: "diagonal", maxN: 16384, build: (o) => s4dReal(o.N) },
  walrus: { summary: "WaLRUS (scaled), redundant Daubechies frame, Theorem-1 reduced", family: "walrus", form: "dense", maxN: WALRUS_MAX_N, build: walrusOf("scaled") },
  "walrus-translated": { summary: "WaLRUS (translated measure), Theorem-1 reduced", family: "walrus", form: "dense", maxN: WALRUS_MAX_N, build: walrusOf("translated") },
};

/** Whether `name` is a WaLRUS init (takes the wavelet knobs; frozen A in W4S4). */
export function isWalrusInit(name: string): boolean {
  return (INIT_NAMES as readonly string[]).includes(name) && INITS[name as InitName].family === "walrus";
}

/** A dense N × N (A for `init`, the real block form of a diagonal init) stops here: 32 MiB in float64. */
export const MAX_DENSE_N = 2048;

export const INIT_SUMMARIES: Record<InitName, string> = Object.fromEntries(Object.entries(INITS).map(([k, v]) => [k, v.summary])) as Record<InitName, string>;

/** Validates N against the init's bound (before any work); `dense` also applies MAX_DENSE_N. */
export function requireStateSize(name: InitName, N: unknown, dense = false): number {
  const max = dense ? Math.min(INITS[name].maxN, MAX_DENSE_N) : INITS[name].maxN;
  return requireInt("N", N, 1, max);
}

export function requireInitName(name: unknown): InitName {
  if (typeof name !== "string" || !(INIT_NAMES as readonly string[]).includes(name)) {
    throw new ParameterError("init", `one of ${INIT_NAMES.join(", ")}`, name);
  }
  return name as InitName;
}

/**
 * The init as a dense (A, B), S4 sign. S4D inits come in the real block-diagonal form of their
 * conjugate pairs (B ≡ 1 absorbed → B = (1, 0) per pair).
 */
export function denseInit(name: InitName | string, opts: InitOptions): DenseSSM {
  const n = requireInitName(name);
  requireStateSize(n, opts.N, true);
  const e = INITS[n];
  if (e.form === "dense") return e.build(opts);
  const d = e.build(opts);
  const { A, B } = realBlockForm(d);
  return { name: n, N: d.N, A, B, meta: { form: "real block-diagonal of the conjugate pairs" } };
}

/**
 * The init as a diagonal SSM (one representative per conjugate pair, B absorbed, C = residues of the
 * Bᵀ readout for dense inits). Dense inits are diagonalized in float64; `condV` says how trustworthy
 * that is (LegS: ~1e20 at N = 64 — its diagonal form is only good for small N, walrus-math §2).
 */
export function diagonalInit(name: InitName | string, opts: InitOptions): DiagonalSSM {
  const n = requireInitName(name);
  requireStateSize(n, opts.N);
  const e = INITS[n];
  if (e.form === "diagonal") return e.build(opts);
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
  if (isWalrusInit(ssm.name) && "W" in ssm) return walrusDualReadout(ssm as WalrusSSM, x);
  if (ssm.name === "legs" || ssm.name === "legt") return legendreValues(ssm.N, x);
  throw new ParameterError("readout", `bt or ones for init ${ssm.name} (dual:<x> exists for walrus, walrus-translated, legs, legt)`, `dual:${x}`);
}
