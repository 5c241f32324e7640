// PFFFT (Julien Pommier's SIMD FFT, FFTPACK-derived, BSD-style licence) compiled to WebAssembly
// SIMD by the npm package @echogarden/pffft-wasm, driving the causal convolutions of fftConv.ts on
// cpu/wasm. Measured (2 cores, one thread): 2048 real FFTs of n = 2048 take 4.4 ms here against
// 27 ms through fft.js (1024 complex transforms, two real rows each) — float32 SIMD against float64.
//
// The package's emscripten glue is asynchronous; a tf.customGrad forward must be synchronous, so we
// instantiate the .wasm ourselves with `new WebAssembly.Instance`. Its exports are minified: the
// name → export map is read from the glue file, so a rebuilt package cannot silently call the
// wrong function (a missing name is an error at load).
//
// Every transform below is PFFFT's unordered real transform: spectra stay in PFFFT's internal
// order, which pffft_zconvolve_accumulate multiplies directly; the inverse is unscaled (× n).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { projectRoot } from "../paths.js";
import { instantiateSync, type WasmMemory } from "../wasmModule.js";

interface Exports {
  memory: WasmMemory;
  ctors(): void;
  malloc(bytes: number): number;
  newSetup(n: number, kind: number): number;
  transform(setup: number, input: number, output: number, work: number, direction: number): void;
  /** ab += a·b·scaling, spectra in internal order. */
  zconvolveAccumulate(setup: number, a: number, b: number, ab: number, scaling: number): void;
  simdSize(): number;
}

const NAMES = {
  malloc: "_pffft_aligned_malloc",
  newSetup: "_pffft_new_setup",
  transform: "_pffft_transform",
  zconvolveAccumulate: "_pffft_zconvolve_accumulate",
  simdSize: "_pffft_simd_size",
} as const;
const PFFFT_REAL = 0, FORWARD = 0, BACKWARD = 1;

let loaded: Exports | Error | undefined;

function load(): Exports {
  // Resolved from the project root: tslab loads src as CommonJS, where import.meta does not exist.
  const require = createRequire(join(projectRoot(), "package.json"));
  const glue = require.resolve("@echogarden/pffft-wasm/simd");
  const js = readFileSync(glue, "utf8");
  const exportOf = (name: string): string => {
    const m = js.match(new RegExp(`Module\\["${name}"\\]=wasmExports\\["(\\w+)"\\]`));
    if (!m) throw new Error(`@echogarden/pffft-wasm: export ${name} not found in ${glue}`);
    return m[1];
  };
  const memName = js.match(/wasmMemory=wasmExports\["(\w+)"\]/)?.[1];
  const ctorName = js.match(/___wasm_call_ctors=wasmExports\["(\w+)"\]/)?.[1];
  const imports = js.match(/wasmImports=\{([^}]*)\}/)?.[1];
  if (!memName || !ctorName || !imports) throw new Error(`@echogarden/pffft-wasm: unexpected glue layout in ${glue}`);
  let mem: WasmMemory | undefined;
  const impl: Record<string, (...a: number[]) => unknown> = {
    ___assert_fail: () => {
      throw new Error("PFFFT assertion failed (n must be a multiple of 32 for real transforms)");
    },
    __emscripten_memcpy_js: (dest, src, num) => new Uint8Array(mem!.buffer).copyWithin(dest, src, src + num),
    _emscripten_resize_heap: (requested) => {
      const m = mem!;
      const pages = Math.ceil(((requested >>> 0) - m.buffer.byteLength) / 65536);
      try {
        if (pages > 0) m.grow(pages);
        return 1;
      } catch {
        return 0;
      }
    },
  };
  const table: Record<string, unknown> = {};
  for (const pair of imports.split(",")) {
    const [key, fn] = pair.split(":");
    if (!impl[fn]) throw new Error(`@echogarden/pffft-wasm: unknown import ${fn}`);
    table[key] = impl[fn];
  }
  const ex = instantiateSync(readFileSync(join(dirname(glue), "pffft.wasm")), { a: table });
  mem = ex[memName] as WasmMemory;
  const fn = <T>(name: string) => ex[exportOf(name)] as T;
  const out: Exports = {
    memory: mem,
    ctors: ex[ctorName] as () => void,
    malloc: fn(NAMES.malloc),
    newSetup: fn(NAMES.newSetup),
    transform: fn(NAMES.transform),
    zconvolveAccumulate: fn(NAMES.zconvolveAccumulate),
    simdSize: fn(NAMES.simdSize),
  };
  out.ctors();
  if (out.simdSize() !== 4) throw new Error(`@echogarden/pffft-wasm: expected the SIMD build (4 lanes), got ${out.simdSize()}`);
  return out;
}

function pffft(): Exports {
  if (loaded === undefined) {
    try {
      loaded = load();
    } catch (e) {
      loaded = e instanceof Error ? e : new Error(String(e));
    }
  }
  if (loaded instanceof Error) throw loaded;
  return loaded;
}

/** Whether PFFFT loads here (and why not). */
export function pffftStatus(): { ok: true } | { ok: false; reason: string } {
  try {
    pffft();
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}

/** Smallest FFT size PFFFT accepts for a real linear convolution of length m: a power of two >= max(m, 32). */
export function pffftSize(m: number): number {
  let n = 32;
  while (n < m) n *= 2;
  return n;
}

/** One transform size: its setup and seven n-float buffers in the wasm heap, made once and kept. */
class Plan {
  readonly setup: number;
  readonly x: number; // time-domain input
  readonly X: number; // its spectrum
  readonly S: number; // the filter's spectrum
  readonly acc: number; // product accumulator, then the inverse's output
  readonly U: number; // a second spectrum (convBackwardRows: the input's)
  readonly acc2: number; // a second accumulator (convBackwardRows: the kernel gradient's)
  readonly work: number;
  constructor(readonly p: Exports, readonly n: number) {
    this.setup = p.newSetup(n, PFFFT_REAL);
    if (!this.setup) throw new Error(`PFFFT cannot plan a real transform of size ${n}`);
    const buf = () => {
      const ptr = p.malloc(4 * n);
      if (!ptr) throw new Error(`PFFFT: out of wasm memory for n = ${n}`);
      return ptr;
    };
    [this.x, this.X, this.S, this.acc, this.U, this.acc2, this.work] = [buf(), buf(), buf(), buf(), buf(), buf(), buf()];
  }
  /** The heap as floats (re-read each call: memory growth replaces the buffer). */
  heap(): Float32Array {
    return new Float32Array(this.p.memory.buffer);
  }
  /** Copy src[off .. off+len) into buffer `at`, reversed when `rev`, zero-padded to n; then FFT into `to`. */
  forward(src: ArrayLike<number>, off: number, len: number, rev: boolean, at: number, to: number): void {
    const h = this.heap(), base = at >> 2;
    if (rev) for (let i = 0; i < len; i++) h[base + i] = src[off + len - 1 - i];
    else if (src instanceof Float32Array) h.set(src.subarray(off, off + len), base);
    else for (let i = 0; i < len; i++) h[base + i] = src[off + i];
    h.fill(0, base + len, base + this.n);
    this.p.transform(this.setup, at, to, this.work, FORWARD);
  }
  clearAcc(acc = this.acc): void {
    const b = acc >> 2;
    this.heap().fill(0, b, b + this.n);
  }
  /** acc += a·b / n (so that the unscaled inverse returns the true convolution). */
  accumulate(a: number, b: number, acc = this.acc): void {
    this.p.zconvolveAccumulate(this.setup, a, b, acc, 1 / this.n);
  }
  /** Inverse FFT of acc, in place. */
  inverse(acc = this.acc): void {
    this.p.transform(this.setup, acc, acc, this.work, BACKWARD);
  }
  /** The spectrum in X filtered by S (acc = X·S, inverted), its first L values into out at off (reversed when rev). */
  filterX(out: Float32Array, off: number, L: number, rev: boolean): void {
    this.clearAcc();
    this.accumulate(this.X, this.S);
    this.inverse();
    this.read(this.acc, out, off, L, L, rev);
  }
  /** `count` values of the inverse in acc into out at off: acc[0 .. count), or acc[L−1], acc[L−2], … when rev. */
  read(acc: number, out: Float32Array, off: number, count: number, L: number, rev: boolean): void {
    const y = this.heap(), a = acc >> 2;
    if (rev) for (let i = 0; i < count; i++) out[off + i] = y[a + L - 1 - i];
    else out.set(y.subarray(a, a + count), off);
  }
}

const plans = new Map<number, Plan>();
function plan(n: number): Plan {
  let pl = plans.get(n);
  if (!pl) plans.set(n, (pl = new Plan(pffft(), n)));
  return pl;
}

/**
 * Causal convolution of every row of x [B, H, L] with its channel's kernel k [H, Lk], n >= 2L, for
 * the channels h0 <= h < h1 (default all; convPool.ts splits channels between threads):
 *   rev = false: out[b,h,t] = Σ_{j ≤ t} k[h,j] x[b,h,t−j]
 *   rev = true:  out[b,h,s] = Σ_{t ≥ s} x[b,h,t] k[h,t−s]   (the correlation, as reverse ∘ conv ∘ reverse)
 */
export function convolveRows(x: ArrayLike<number>, k: ArrayLike<number>, B: number, H: number, L: number, Lk: number, n: number, rev: boolean, out: Float32Array, h0 = 0, h1 = H): void {
  const pl = plan(n);
  for (let h = h0; h < h1; h++) {
    pl.forward(k, h * Lk, Lk, false, pl.x, pl.S);
    for (let b = 0; b < B; b++) {
      const off = (b * H + h) * L;
      pl.forward(x, off, L, rev, pl.x, pl.X);
      pl.filterX(out, off, L, rev);
    }
  }
}

/**
 * dK[h, j] = Σ_b Σ_{t ≥ j} dy[b,h,t] u[b,h,t−j] for j < Lk: with dy reversed this is the linear
 * convolution (rev dy) * u read at L−1−j, its spectra summed over b before one inverse per channel.
 * Channels h0 <= h < h1 of `out` [H, Lk] (default all).
 */
export function kernelGradientRows(dy: ArrayLike<number>, u: ArrayLike<number>, B: number, H: number, L: number, Lk: number, n: number, out: Float32Array = new Float32Array(H * Lk), h0 = 0, h1 = H): Float32Array {
  const pl = plan(n);
  for (let h = h0; h < h1; h++) {
    pl.clearAcc();
    for (let b = 0; b < B; b++) {
      const off = (b * H + h) * L;
      pl.forward(dy, off, L, true, pl.x, pl.X);
      pl.forward(u, off, L, false, pl.x, pl.S);
      pl.accumulate(pl.X, pl.S);
    }
    pl.inverse();
    pl.read(pl.acc, out, h * Lk, Lk, L, true);
  }
  return out;
}

/**
 * The FFT convolution's whole backward in one pass over the channels h0 <= h < h1: du (the
 * correlation of dy with k, as convolveRows with rev) and dk (as kernelGradientRows) from one
 * spectrum of each reversed dy row, which the two separate passes computed twice (33 of 99
 * transforms per channel at B = 16).
 */
export function convBackwardRows(dy: ArrayLike<number>, u: ArrayLike<number>, k: ArrayLike<number>, B: number, H: number, L: number, Lk: number, n: number, du: Float32Array, dk: Float32Array, h0 = 0, h1 = H): void {
  const pl = plan(n);
  for (let h = h0; h < h1; h++) {
    pl.forward(k, h * Lk, Lk, false, pl.x, pl.S);
    pl.clearAcc(pl.acc2);
    for (let b = 0; b < B; b++) {
      const off = (b * H + h) * L;
      pl.forward(dy, off, L, true, pl.x, pl.X);
      pl.filterX(du, off, L, true);
      pl.forward(u, off, L, false, pl.x, pl.U);
      pl.accumulate(pl.X, pl.U, pl.acc2);
    }
    pl.inverse(pl.acc2);
    pl.read(pl.acc2, dk, h * Lk, Lk, L, true);
  }
}
