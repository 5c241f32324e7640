// AssemblyScript source of the WASM SIMD kernels of src/nn/ (wasmKernels.ts loads them): the fused
// D-skip + GELU and GLU stages of the S4D layer (activations.ts) and the channel LayerNorm (norm.ts).
// Compiled by scripts/build-wasm.ts into src/nn/nnWasm.ts; test/nn-fused.test.ts checks that the
// committed bytes are what this source compiles to. Pointers are byte offsets into this module's
// memory, laid out by the caller. Rows go 4 floats at a time; a row's tail (L mod 4) lane by lane.
//
// exp: Cephes expf (range reduction by ln 2 in two parts, degree-6 polynomial, 2^n built in the
// exponent bits); relative error ~1e-7 on [-87, 88]. erf: Abramowitz & Stegun 7.1.26 (|err| ≤
// 1.5e-7), whose exp(−z²) with z = x/√2 is the exp(−x²/2) the GELU derivative needs too.

const LOG2E: f32 = 1.44269504088896341;
const C1: f32 = 0.693359375;
const C2: f32 = -2.12194440e-4;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;
const EXP_HI: f32 = 88.3762626647949;
const EXP_LO: f32 = -87.3365447504;

const AP: f32 = 0.3275911;
const A1: f32 = 0.254829592;
const A2: f32 = -0.284496736;
const A3: f32 = 1.421413741;
const A4: f32 = -1.453152027;
const A5: f32 = 1.061405429;
const SQRT1_2: f32 = 0.7071067811865476;
const INV_SQRT_2PI: f32 = 0.3989422804014327;

// @ts-ignore: decorator
@inline function expV(x0: v128): v128 {
  const x = f32x4.max(f32x4.min(x0, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const n = f32x4.floor(f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(0.5)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(C1))), f32x4.mul(n, f32x4.splat(C2)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(P0), r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const pow2 = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, pow2);
}

// @ts-ignore: decorator
@inline function expS(x: f32): f32 {
  return f32x4.extract_lane(expV(f32x4.splat(x)), 0);
}

/**
 * out = GELU(x), slope = GELU'(x) = Φ(x) + x·φ(x), x = y + D[h]·u, for rows·L floats laid out as
 * [rows, L] with row r in channel r % H.
 */
export function skipGeluForward(y: usize, u: usize, D: usize, out: usize, slope: usize, rows: i32, H: i32, L: i32): void {
  const L4 = L & ~3;
  for (let r = 0; r < rows; r++) {
    const d = load<f32>(D + (<usize>(r % H) << 2));
    const dv = f32x4.splat(d);
    const base = <usize>r * <usize>L << 2;
    for (let i = 0; i < L4; i += 4) {
      const o = base + (<usize>i << 2);
      const x = f32x4.add(v128.load(y + o), f32x4.mul(dv, v128.load(u + o)));
      const z = f32x4.mul(f32x4.abs(x), f32x4.splat(SQRT1_2));
      const t = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), f32x4.mul(f32x4.splat(AP), z)));
      const e = expV(f32x4.neg(f32x4.mul(z, z)));
      let q = f32x4.add(f32x4.mul(f32x4.splat(A5), t), f32x4.splat(A4));
      q = f32x4.add(f32x4.mul(q, t), f32x4.splat(A3));
      q = f32x4.add(f32x4.mul(q, t), f32x4.splat(A2));
      q = f32x4.add(f32x4.mul(q, t), f32x4.splat(A1));
      const erfAbs = f32x4.sub(f32x4.splat(1), f32x4.mul(f32x4.mul(q, t), e));
      const pos = f32x4.mul(f32x4.splat(0.5), f32x4.add(f32x4.splat(1), erfAbs));
      const neg = f32x4.mul(f32x4.splat(0.5), f32x4.sub(f32x4.splat(1), erfAbs));
      const cdf = v128.bitselect(neg, pos, f32x4.lt(x, f32x4.splat(0)));
      v128.store(out + o, f32x4.mul(x, cdf));
      v128.store(slope + o, f32x4.add(cdf, f32x4.mul(f32x4.mul(x, e), f32x4.splat(INV_SQRT_2PI))));
    }
    for (let i = L4; i < L; i++) {
      const o = base + (<usize>i << 2);
      const x = load<f32>(y + o) + d * load<f32>(u + o);
      const z = Mathf.abs(x) * SQRT1_2;
      const t: f32 = 1 / (1 + AP * z);
      const e = expS(-z * z);
      const erfAbs: f32 = 1 - ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * e;
      const cdf: f32 = x < 0 ? 0.5 * (1 - erfAbs) : 0.5 * (1 + erfAbs);
      store<f32>(out + o, x * cdf);
      store<f32>(slope + o, cdf + x * e * INV_SQRT_2PI);
    }
  }
}

/** dy = g·slope, du = dy·D[h], dD[h] += Σ dy·u (dD: H doubles, zeroed by the caller; each row's sum is float32 lanes, added in float64). */
export function skipGeluBackward(g: usize, slope: usize, u: usize, D: usize, dy: usize, du: usize, dD: usize, rows: i32, H: i32, L: i32): void {
  const L4 = L & ~3;
  for (let r = 0; r < rows; r++) {
    const h = r % H;
    const d = load<f32>(D + (<usize>h << 2));
    const dv = f32x4.splat(d);
    const base = <usize>r * <usize>L << 2;
    let acc = f32x4.splat(0);
    for (let i = 0; i < L4; i += 4) {
      const o = base + (<usize>i << 2);
      const dx = f32x4.mul(v128.load(g + o), v128.load(slope + o));
      v128.store(dy + o, dx);
      v128.store(du + o, f32x4.mul(dx, dv));
      acc = f32x4.add(acc, f32x4.mul(dx, v128.load(u + o)));
    }
    let s: f64 = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
    for (let i = L4; i < L; i++) {
      const o = base + (<usize>i << 2);
      const dx = load<f32>(g + o) * load<f32>(slope + o);
      store<f32>(dy + o, dx);
      store<f32>(du + o, dx * d);
      s += <f64>(dx * load<f32>(u + o));
    }
    const p = dD + (<usize>h << 3);
    store<f64>(p, load<f64>(p) + s);
  }
}

// 4×4 transpose of four rows r0..r3 (4 floats each) into four columns c0..c3, by shuffles.
// @ts-ignore: decorator
@inline function col0(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  return v128.shuffle<f32>(v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), 0, 1, 4, 5);
}
// @ts-ignore: decorator
@inline function col1(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  return v128.shuffle<f32>(v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), 2, 3, 6, 7);
}
// @ts-ignore: decorator
@inline function col2(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  return v128.shuffle<f32>(v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), v128.shuffle<f32>(r2, r3, 2, 6, 3, 7), 0, 1, 4, 5);
}
// @ts-ignore: decorator
@inline function col3(r0: v128, r1: v128, r2: v128, r3: v128): v128 {
  return v128.shuffle<f32>(v128.shuffle<f32>(r0, r1, 2, 6, 3, 7), v128.shuffle<f32>(r2, r3, 2, 6, 3, 7), 2, 3, 6, 7);
}

// @ts-ignore: decorator
@inline function gluStep(za: v128, zg: v128, h: i32, l: i32, b: i32, bias: usize, out: usize, A: usize, S: usize, H: i32, L: i32, BL: usize): void {
  const a = f32x4.add(za, f32x4.splat(load<f32>(bias + (<usize>h << 2))));
  const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expV(f32x4.neg(f32x4.add(zg, f32x4.splat(load<f32>(bias + (<usize>(H + h) << 2))))))));
  const ri = (<usize>h * BL + <usize>b * <usize>L + <usize>l) << 2;
  v128.store(A + ri, a);
  v128.store(S + ri, s);
  v128.store(out + ((<usize>(b * H + h) * <usize>L + <usize>l) << 2), f32x4.mul(a, s));
}

/**
 * GLU of Zt [B·L, 2H] (one row of a | g per (b, l), the projection's matMul output) plus bias [2H]:
 * a = Zt[., h] + b[h], s = σ(Zt[., H+h] + b[H+h]); out[b, h, l] = a·s in [B, H, L] layout, and a, s
 * kept in rows layout [H, B·L] for the backward. Four rows (b, l..l+3) at a time, h inside, so the
 * four rows being read (8H floats) stay in L1 while every store is contiguous; within them, 4×4
 * blocks are transposed by shuffles.
 */
export function gluForward(Zt: usize, bias: usize, out: usize, A: usize, S: usize, B: i32, H: i32, L: i32): void {
  const BL = <usize>B * <usize>L;
  const L4 = L & ~3;
  const row = <usize>(2 * H) << 2; // bytes per Zt row
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L4; l += 4) {
      const r0 = Zt + (<usize>b * <usize>L + <usize>l) * row;
      const H4 = H & ~3;
      // Four h at a time: load four rows' a (and g) values, transpose to four l-vectors per h.
      for (let h = 0; h < H4; h += 4) {
        const pa = r0 + (<usize>h << 2), pg = r0 + (<usize>(H + h) << 2);
        const a0 = v128.load(pa), a1 = v128.load(pa + row), a2 = v128.load(pa + 2 * row), a3 = v128.load(pa + 3 * row);
        const g0 = v128.load(pg), g1 = v128.load(pg + row), g2 = v128.load(pg + 2 * row), g3 = v128.load(pg + 3 * row);
        gluStep(col0(a0, a1, a2, a3), col0(g0, g1, g2, g3), h, l, b, bias, out, A, S, H, L, BL);
        gluStep(col1(a0, a1, a2, a3), col1(g0, g1, g2, g3), h + 1, l, b, bias, out, A, S, H, L, BL);
        gluStep(col2(a0, a1, a2, a3), col2(g0, g1, g2, g3), h + 2, l, b, bias, out, A, S, H, L, BL);
        gluStep(col3(a0, a1, a2, a3), col3(g0, g1, g2, g3), h + 3, l, b, bias, out, A, S, H, L, BL);
      }
      for (let h = H4; h < H; h++) {
        const ca = r0 + (<usize>h << 2), cg = r0 + (<usize>(H + h) << 2);
        let za = f32x4.splat(load<f32>(ca));
        za = f32x4.replace_lane(za, 1, load<f32>(ca + row));
        za = f32x4.replace_lane(za, 2, load<f32>(ca + 2 * row));
        za = f32x4.replace_lane(za, 3, load<f32>(ca + 3 * row));
        let zg = f32x4.splat(load<f32>(cg));
        zg = f32x4.replace_lane(zg, 1, load<f32>(cg + row));
        zg = f32x4.replace_lane(zg, 2, load<f32>(cg + 2 * row));
        zg = f32x4.replace_lane(zg, 3, load<f32>(cg + 3 * row));
        gluStep(za, zg, h, l, b, bias, out, A, S, H, L, BL);
      }
    }
    for (let l = L4; l < L; l++) {
      const r0 = Zt + (<usize>b * <usize>L + <usize>l) * row;
      for (let h = 0; h < H; h++) {
        const a = load<f32>(r0 + (<usize>h << 2)) + load<f32>(bias + (<usize>h << 2));
        const s: f32 = 1 / (1 + expS(-(load<f32>(r0 + (<usize>(H + h) << 2)) + load<f32>(bias + (<usize>(H + h) << 2)))));
        const ri = (<usize>h * BL + <usize>b * <usize>L + <usize>l) << 2;
        store<f32>(A + ri, a);
        store<f32>(S + ri, s);
        store<f32>(out + ((<usize>(b * H + h) * <usize>L + <usize>l) << 2), a * s);
      }
    }
  }
}

/**
 * The GLU backward from g [B, H, L]: dA = g·s, dG = g·a·s(1 − s), written twice, as dZ [2H, B·L]
 * (rows layout: the A operand of dW = dZ·Yt) and dZt [B·L, 2H] (so dY = dZt·W keeps the weight as
 * tfjs' B operand, whose packing tfjs caches); db [2H doubles] += row sums. Loop order as gluForward.
 */
export function gluBackward(g: usize, A: usize, S: usize, dZ: usize, dZt: usize, db: usize, B: i32, H: i32, L: i32): void {
  const BL = <usize>B * <usize>L;
  const L4 = L & ~3;
  const row = <usize>(2 * H) << 2;
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L; l += 4) {
      const lanes = l < L4 ? 4 : L - l;
      const r0 = dZt + (<usize>b * <usize>L + <usize>l) * row;
      for (let h = 0; h < H; h++) {
        const ri = (<usize>h * BL + <usize>b * <usize>L + <usize>l) << 2;
        const gi = (<usize>(H + h) * BL + <usize>b * <usize>L + <usize>l) << 2;
        const oi = (<usize>(b * H + h) * <usize>L + <usize>l) << 2;
        const ca = r0 + (<usize>h << 2), cg = r0 + (<usize>(H + h) << 2);
        const pa = db + (<usize>h << 3), pg = db + (<usize>(H + h) << 3);
        if (lanes == 4) {
          const d = v128.load(g + oi), sv = v128.load(S + ri);
          const da = f32x4.mul(d, sv);
          const dg = f32x4.mul(f32x4.mul(da, v128.load(A + ri)), f32x4.sub(f32x4.splat(1), sv));
          v128.store(dZ + ri, da);
          v128.store(dZ + gi, dg);
          store<f32>(ca, f32x4.extract_lane(da, 0));
          store<f32>(ca + row, f32x4.extract_lane(da, 1));
          store<f32>(ca + 2 * row, f32x4.extract_lane(da, 2));
          store<f32>(ca + 3 * row, f32x4.extract_lane(da, 3));
          store<f32>(cg, f32x4.extract_lane(dg, 0));
          store<f32>(cg + row, f32x4.extract_lane(dg, 1));
          store<f32>(cg + 2 * row, f32x4.extract_lane(dg, 2));
          store<f32>(cg + 3 * row, f32x4.extract_lane(dg, 3));
          store<f64>(pa, load<f64>(pa) + <f64>(f32x4.extract_lane(da, 0) + f32x4.extract_lane(da, 1) + f32x4.extract_lane(da, 2) + f32x4.extract_lane(da, 3)));
          store<f64>(pg, load<f64>(pg) + <f64>(f32x4.extract_lane(dg, 0) + f32x4.extract_lane(dg, 1) + f32x4.extract_lane(dg, 2) + f32x4.extract_lane(dg, 3)));
        } else {
          for (let j = 0; j < lanes; j++) {
            const o = <usize>j << 2;
            const d = load<f32>(g + oi + o), sv = load<f32>(S + ri + o);
            const da = d * sv, dg = da * load<f32>(A + ri + o) * (1 - sv);
            store<f32>(dZ + ri + o, da);
            store<f32>(dZ + gi + o, dg);
            store<f32>(ca + <usize>j * row, da);
            store<f32>(cg + <usize>j * row, dg);
            store<f64>(pa, load<f64>(pa) + <f64>da);
            store<f64>(pg, load<f64>(pg) + <f64>dg);
          }
        }
      }
    }
  }
}

/**
 * LayerNorm over the channel axis of x [B, H, L] (per (b, l), over h): y = x̂·γ[h] + β[h] with
 * x̂ = (x − μ)·r, r = 1/√(σ² + ε) (biased variance, as nn.LayerNorm). Keeps x̂ [B, H, L] and r [B, L].
 * Four consecutive l at a time: the reduction over h runs down a column of the [H, L] slab.
 */
export function layerNormForward(x: usize, gamma: usize, beta: usize, y: usize, xhat: usize, rstd: usize, B: i32, H: i32, L: i32, eps: f32): void {
  const L4 = L & ~3;
  const invH = f32x4.splat(<f32>1 / <f32>H);
  for (let b = 0; b < B; b++) {
    const slab = <usize>b * <usize>H * <usize>L << 2;
    for (let l = 0; l < L; l += 4) {
      const lanes = l < L4 ? 4 : L - l;
      if (lanes == 4) {
        // Two passes (mean, then squared deviations): E[x²] − μ² cancels in float32 when |μ| ≫ σ.
        let s = f32x4.splat(0);
        for (let h = 0; h < H; h++) s = f32x4.add(s, v128.load(x + slab + ((<usize>h * <usize>L + <usize>l) << 2)));
        const mu = f32x4.mul(s, invH);
        let ss = f32x4.splat(0);
        for (let h = 0; h < H; h++) {
          const d = f32x4.sub(v128.load(x + slab + ((<usize>h * <usize>L + <usize>l) << 2)), mu);
          ss = f32x4.add(ss, f32x4.mul(d, d));
        }
        const r = f32x4.div(f32x4.splat(1), f32x4.sqrt(f32x4.add(f32x4.mul(ss, invH), f32x4.splat(eps))));
        v128.store(rstd + ((<usize>b * <usize>L + <usize>l) << 2), r);
        for (let h = 0; h < H; h++) {
          const o = slab + ((<usize>h * <usize>L + <usize>l) << 2);
          const xh = f32x4.mul(f32x4.sub(v128.load(x + o), mu), r);
          v128.store(xhat + o, xh);
          const g = f32x4.splat(load<f32>(gamma + (<usize>h << 2))), bt = f32x4.splat(load<f32>(beta + (<usize>h << 2)));
          v128.store(y + o, f32x4.add(f32x4.mul(xh, g), bt));
        }
      } else {
        for (let j = l; j < L; j++) {
          let s: f32 = 0;
          for (let h = 0; h < H; h++) s += load<f32>(x + slab + ((<usize>h * <usize>L + <usize>j) << 2));
          const mu = s / <f32>H;
          let ss: f32 = 0;
          for (let h = 0; h < H; h++) {
            const d = load<f32>(x + slab + ((<usize>h * <usize>L + <usize>j) << 2)) - mu;
            ss += d * d;
          }
          const r: f32 = 1 / Mathf.sqrt(ss / <f32>H + eps);
          store<f32>(rstd + ((<usize>b * <usize>L + <usize>j) << 2), r);
          for (let h = 0; h < H; h++) {
            const o = slab + ((<usize>h * <usize>L + <usize>j) << 2);
            const xh = (load<f32>(x + o) - mu) * r;
            store<f32>(xhat + o, xh);
            store<f32>(y + o, xh * load<f32>(gamma + (<usize>h << 2)) + load<f32>(beta + (<usize>h << 2)));
          }
        }
      }
    }
  }
}

/**
 * Backward of layerNormForward: with d = dy·γ[h], dx = r·(d − mean_h d − x̂·mean_h(d·x̂));
 * dγ[h] = Σ dy·x̂ and dβ[h] = Σ dy (H doubles each, accumulated; zeroed by the caller).
 */
export function layerNormBackward(dy: usize, xhat: usize, rstd: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize, B: i32, H: i32, L: i32): void {
  const L4 = L & ~3;
  const invH = f32x4.splat(<f32>1 / <f32>H);
  for (let b = 0; b < B; b++) {
    const slab = <usize>b * <usize>H * <usize>L << 2;
    for (let l = 0; l < L; l += 4) {
      if (l < L4) {
        let sd = f32x4.splat(0), sdx = f32x4.splat(0);
        for (let h = 0; h < H; h++) {
          const o = slab + ((<usize>h * <usize>L + <usize>l) << 2);
          const g = f32x4.splat(load<f32>(gamma + (<usize>h << 2)));
          const dyv = v128.load(dy + o), xh = v128.load(xhat + o);
          const d = f32x4.mul(dyv, g);
          sd = f32x4.add(sd, d);
          sdx = f32x4.add(sdx, f32x4.mul(d, xh));
          const pg = dgamma + (<usize>h << 3), pb = dbeta + (<usize>h << 3);
          const a = f32x4.mul(dyv, xh);
          store<f64>(pg, load<f64>(pg) + <f64>(f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1) + f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3)));
          store<f64>(pb, load<f64>(pb) + <f64>(f32x4.extract_lane(dyv, 0) + f32x4.extract_lane(dyv, 1) + f32x4.extract_lane(dyv, 2) + f32x4.extract_lane(dyv, 3)));
        }
        const md = f32x4.mul(sd, invH), mdx = f32x4.mul(sdx, invH);
        const r = v128.load(rstd + ((<usize>b * <usize>L + <usize>l) << 2));
        for (let h = 0; h < H; h++) {
          const o = slab + ((<usize>h * <usize>L + <usize>l) << 2);
          const g = f32x4.splat(load<f32>(gamma + (<usize>h << 2)));
          const d = f32x4.mul(v128.load(dy + o), g);
          v128.store(dx + o, f32x4.mul(r, f32x4.sub(f32x4.sub(d, md), f32x4.mul(v128.load(xhat + o), mdx))));
        }
      } else {
        for (let j = l; j < L; j++) {
          let sd: f32 = 0, sdx: f32 = 0;
          for (let h = 0; h < H; h++) {
            const o = slab + ((<usize>h * <usize>L + <usize>j) << 2);
            const dyv = load<f32>(dy + o), xh = load<f32>(xhat + o);
            const d = dyv * load<f32>(gamma + (<usize>h << 2));
            sd += d;
            sdx += d * xh;
            const pg = dgamma + (<usize>h << 3), pb = dbeta + (<usize>h << 3);
            store<f64>(pg, load<f64>(pg) + <f64>(dyv * xh));
            store<f64>(pb, load<f64>(pb) + <f64>dyv);
          }
          const md = sd / <f32>H, mdx = sdx / <f32>H;
          const r = load<f32>(rstd + ((<usize>b * <usize>L + <usize>j) << 2));
          for (let h = 0; h < H; h++) {
            const o = slab + ((<usize>h * <usize>L + <usize>j) << 2);
            const d = load<f32>(dy + o) * load<f32>(gamma + (<usize>h << 2));
            store<f32>(dx + o, r * (d - md - load<f32>(xhat + o) * mdx));
          }
        }
      }
    }
  }
}
