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

// GELU(x) with its slope GELU'(x) = Φ(x) + x·φ(x) stored at `slopeAt`; four lanes, then one.
// @ts-ignore: decorator
@inline function geluV(x: v128, slopeAt: usize): v128 {
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
  v128.store(slopeAt, f32x4.add(cdf, f32x4.mul(f32x4.mul(x, e), f32x4.splat(INV_SQRT_2PI))));
  return f32x4.mul(x, cdf);
}

// @ts-ignore: decorator
@inline function geluS(x: f32, slopeAt: usize): f32 {
  const z = Mathf.abs(x) * SQRT1_2;
  const t: f32 = 1 / (1 + AP * z);
  const e = expS(-z * z);
  const erfAbs: f32 = 1 - ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t * e;
  const cdf: f32 = x < 0 ? 0.5 * (1 - erfAbs) : 0.5 * (1 + erfAbs);
  store<f32>(slopeAt, cdf + x * e * INV_SQRT_2PI);
  return x * cdf;
}

// @ts-ignore: decorator
@inline function sigmoidV(x: v128): v128 {
  return f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), expV(f32x4.neg(x))));
}

// @ts-ignore: decorator
@inline function sigmoidS(x: f32): f32 {
  return 1 / (1 + expS(-x));
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

// acc[0..3] (float64) += the four lanes of v.
// @ts-ignore: decorator
@inline function addF64x4(acc: usize, v: v128): void {
  v128.store(acc, f64x2.add(v128.load(acc), f64x2.promote_low_f32x4(v)));
  v128.store(acc + 16, f64x2.add(v128.load(acc + 16), f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1))));
}

// Every kernel takes the batch range [b0, b1) it works on (B stays the full batch, for strides), so
// that the threads of wasmKernels.ts can split a call by batch; a sum over the batch goes to the
// accumulator the caller hands each range.
// Layouts: "rows" [B, H, L] is the layer's (each channel's sequence contiguous, what the FFT
// convolution reads); "T" [B, L, H] is channels-last, the rows of the projection's matMul. Each
// kernel below reads one layout and writes the other, in tiles of 4 channels × 4 positions turned
// by the shuffles above, so no separate transpose pass is needed. Channels go in groups of
// GROUP: per group, every T row gets one whole 64-byte line, while GROUP rows-layout rows are read
// or written in order. Channels past the last multiple of 4, and positions past the last multiple
// of 4, go one at a time.
const GROUP = 16;
// Positions in blocks of LBLOCK (one 64-byte line of a rows-layout row): a tile's four rows of an
// array are 4 L bytes apart, the same cache set when L is a power of two, so each is used to its
// end before the next four channels (going over all 16 positions per line first cost ~2× here).
const LBLOCK = 16;

// @ts-ignore: decorator
@inline function rowsAt(b: i32, h: i32, l: i32, H: i32, L: i32): usize {
  return ((<usize>b * <usize>H + <usize>h) * <usize>L + <usize>l) << 2;
}
// @ts-ignore: decorator
@inline function tAt(b: i32, l: i32, h: i32, C: i32, L: i32): usize {
  return ((<usize>b * <usize>L + <usize>l) * <usize>C + <usize>h) << 2;
}

// @ts-ignore: decorator
@inline function skipGeluV(y: usize, u: usize, D: usize, slope: usize, o: usize, h: i32): v128 {
  return geluV(f32x4.add(v128.load(y + o), f32x4.mul(f32x4.splat(load<f32>(D + (<usize>h << 2))), v128.load(u + o))), slope + o);
}

/**
 * x = y + D[h]·u for y, u [B, H, L]: outT = GELU(x) in layout T [B, L, H], slope = GELU'(x) in the
 * rows layout, for the backward.
 */
export function skipGeluForwardT(y: usize, u: usize, D: usize, outT: usize, slope: usize, B: i32, H: i32, L: i32, b0: i32, b1: i32): void {
  const L4 = L & ~3, H4 = H & ~3;
  const rs = <usize>L << 2, rowT = <usize>H << 2;
  for (let b = b0; b < b1; b++) {
    for (let hg = 0; hg < H4; hg += GROUP) {
      const he = min(hg + GROUP, H4);
      for (let lb = 0; lb < L4; lb += LBLOCK) {
        const le = min(lb + LBLOCK, L4);
        for (let h = hg; h < he; h += 4) {
          for (let l = lb; l < le; l += 4) {
            const o = rowsAt(b, h, l, H, L);
            const v0 = skipGeluV(y, u, D, slope, o, h), v1 = skipGeluV(y, u, D, slope, o + rs, h + 1);
            const v2 = skipGeluV(y, u, D, slope, o + 2 * rs, h + 2), v3 = skipGeluV(y, u, D, slope, o + 3 * rs, h + 3);
            const p = outT + tAt(b, l, h, H, L);
            v128.store(p, col0(v0, v1, v2, v3));
            v128.store(p + rowT, col1(v0, v1, v2, v3));
            v128.store(p + 2 * rowT, col2(v0, v1, v2, v3));
            v128.store(p + 3 * rowT, col3(v0, v1, v2, v3));
          }
        }
      }
      for (let l = L4; l < L; l++) for (let h = hg; h < he; h++) skipGeluS(y, u, D, outT, slope, b, h, l, H, L);
    }
    for (let h = H4; h < H; h++) for (let l = 0; l < L; l++) skipGeluS(y, u, D, outT, slope, b, h, l, H, L);
  }
}

// @ts-ignore: decorator
@inline function skipGeluS(y: usize, u: usize, D: usize, outT: usize, slope: usize, b: i32, h: i32, l: i32, H: i32, L: i32): void {
  const o = rowsAt(b, h, l, H, L);
  store<f32>(outT + tAt(b, l, h, H, L), geluS(load<f32>(y + o) + load<f32>(D + (<usize>h << 2)) * load<f32>(u + o), slope + o));
}

/**
 * Backward of skipGeluForwardT from gT [B, L, H]: dy = g·slope and du = dy·D[h] in the rows layout;
 * dD[h] += Σ dy·u (dD: H float64s, zeroed by the caller; added four positions at a time).
 */
export function skipGeluBackwardT(gT: usize, slope: usize, u: usize, D: usize, dy: usize, du: usize, dD: usize, B: i32, H: i32, L: i32, b0: i32, b1: i32): void {
  const L4 = L & ~3, H4 = H & ~3;
  const rs = <usize>L << 2, rowT = <usize>H << 2;
  for (let b = b0; b < b1; b++) {
    for (let hg = 0; hg < H4; hg += GROUP) {
      const he = min(hg + GROUP, H4);
      for (let lb = 0; lb < L4; lb += LBLOCK) {
        const le = min(lb + LBLOCK, L4);
        for (let h = hg; h < he; h += 4) {
          let acc = f32x4.splat(0);
          for (let l = lb; l < le; l += 4) {
            const p = gT + tAt(b, l, h, H, L);
            const r0 = v128.load(p), r1 = v128.load(p + rowT), r2 = v128.load(p + 2 * rowT), r3 = v128.load(p + 3 * rowT);
            const o = rowsAt(b, h, l, H, L);
            const p0 = skipGeluBackV(col0(r0, r1, r2, r3), slope, u, D, dy, du, o, h);
            const p1 = skipGeluBackV(col1(r0, r1, r2, r3), slope, u, D, dy, du, o + rs, h + 1);
            const p2 = skipGeluBackV(col2(r0, r1, r2, r3), slope, u, D, dy, du, o + 2 * rs, h + 2);
            const p3 = skipGeluBackV(col3(r0, r1, r2, r3), slope, u, D, dy, du, o + 3 * rs, h + 3);
            // Transposed, column k holds position l+k of the four channels: their sum is the channels' sums.
            acc = f32x4.add(acc, f32x4.add(f32x4.add(col0(p0, p1, p2, p3), col1(p0, p1, p2, p3)), f32x4.add(col2(p0, p1, p2, p3), col3(p0, p1, p2, p3))));
          }
          addF64x4(dD + (<usize>h << 3), acc);
        }
      }
      for (let l = L4; l < L; l++) for (let h = hg; h < he; h++) skipGeluBackS(gT, slope, u, D, dy, du, dD, b, h, l, H, L);
    }
    for (let h = H4; h < H; h++) for (let l = 0; l < L; l++) skipGeluBackS(gT, slope, u, D, dy, du, dD, b, h, l, H, L);
  }
}

// dy, du at o from g (channel h, four positions); returns dy·u.
// @ts-ignore: decorator
@inline function skipGeluBackV(g: v128, slope: usize, u: usize, D: usize, dy: usize, du: usize, o: usize, h: i32): v128 {
  const dx = f32x4.mul(g, v128.load(slope + o));
  v128.store(dy + o, dx);
  v128.store(du + o, f32x4.mul(dx, f32x4.splat(load<f32>(D + (<usize>h << 2)))));
  return f32x4.mul(dx, v128.load(u + o));
}

// @ts-ignore: decorator
@inline function skipGeluBackS(gT: usize, slope: usize, u: usize, D: usize, dy: usize, du: usize, dD: usize, b: i32, h: i32, l: i32, H: i32, L: i32): void {
  const o = rowsAt(b, h, l, H, L);
  const dx = load<f32>(gT + tAt(b, l, h, H, L)) * load<f32>(slope + o);
  store<f32>(dy + o, dx);
  store<f32>(du + o, dx * load<f32>(D + (<usize>h << 2)));
  const p = dD + (<usize>h << 3);
  store<f64>(p, load<f64>(p) + <f64>(dx * load<f32>(u + o)));
}

/**
 * GLU of the projection's output Zt [B·L, 2H] (layout T, a | g per row) plus bias [2H]:
 * out[b, h, l] = (a + bias[h])·σ(g + bias[H + h]) in the rows layout [B, H, L]. Zt itself is what
 * the backward keeps (σ is recomputed there: cheaper than storing and re-reading a and σ).
 */
export function gluForwardT(Zt: usize, bias: usize, out: usize, B: i32, H: i32, L: i32, b0: i32, b1: i32): void {
  const L4 = L & ~3, H4 = H & ~3;
  const rs = <usize>L << 2, rowZ = <usize>(2 * H) << 2, gOff = <usize>H << 2;
  for (let b = b0; b < b1; b++) {
    for (let hg = 0; hg < H4; hg += GROUP) {
      const he = min(hg + GROUP, H4);
      for (let lb = 0; lb < L4; lb += LBLOCK) {
        const le = min(lb + LBLOCK, L4);
        for (let h = hg; h < he; h += 4) {
          for (let l = lb; l < le; l += 4) {
            const ba = v128.load(bias + (<usize>h << 2)), bg = v128.load(bias + gOff + (<usize>h << 2));
            const p = Zt + tAt(b, l, h, 2 * H, L);
            // Per position k, four channels: a·σ(g) before turning them into per-channel rows.
            const y0 = f32x4.mul(f32x4.add(v128.load(p), ba), sigmoidV(f32x4.add(v128.load(p + gOff), bg)));
            const y1 = f32x4.mul(f32x4.add(v128.load(p + rowZ), ba), sigmoidV(f32x4.add(v128.load(p + rowZ + gOff), bg)));
            const y2 = f32x4.mul(f32x4.add(v128.load(p + 2 * rowZ), ba), sigmoidV(f32x4.add(v128.load(p + 2 * rowZ + gOff), bg)));
            const y3 = f32x4.mul(f32x4.add(v128.load(p + 3 * rowZ), ba), sigmoidV(f32x4.add(v128.load(p + 3 * rowZ + gOff), bg)));
            const o = out + rowsAt(b, h, l, H, L);
            v128.store(o, col0(y0, y1, y2, y3));
            v128.store(o + rs, col1(y0, y1, y2, y3));
            v128.store(o + 2 * rs, col2(y0, y1, y2, y3));
            v128.store(o + 3 * rs, col3(y0, y1, y2, y3));
          }
        }
      }
      for (let l = L4; l < L; l++) for (let h = hg; h < he; h++) gluS(Zt, bias, out, b, h, l, H, L);
    }
    for (let h = H4; h < H; h++) for (let l = 0; l < L; l++) gluS(Zt, bias, out, b, h, l, H, L);
  }
}

// @ts-ignore: decorator
@inline function gluS(Zt: usize, bias: usize, out: usize, b: i32, h: i32, l: i32, H: i32, L: i32): void {
  const p = Zt + tAt(b, l, h, 2 * H, L);
  const a = load<f32>(p) + load<f32>(bias + (<usize>h << 2));
  const s = sigmoidS(load<f32>(p + (<usize>H << 2)) + load<f32>(bias + (<usize>(H + h) << 2)));
  store<f32>(out + rowsAt(b, h, l, H, L), a * s);
}

/**
 * Backward of gluForwardT from g [B, H, L]: dA = g·σ, dG = g·a·σ(1 − σ), written twice: dZt
 * [B·L, 2H] (layout T: dY = dZt·W keeps the weight as tfjs' B operand, whose packing it caches)
 * and dZ [2H, B·L] (channel-major: the A operand of dW = dZ·Yt); db [2H float64s, zeroed by the
 * caller] += the channels' sums.
 */
export function gluBackwardT(g: usize, Zt: usize, bias: usize, dZ: usize, dZt: usize, db: usize, B: i32, H: i32, L: i32, b0: i32, b1: i32): void {
  const L4 = L & ~3, H4 = H & ~3;
  const BL = <usize>B * <usize>L;
  const rs = <usize>L << 2, rowZ = <usize>(2 * H) << 2, gOff = <usize>H << 2, dzRow = BL << 2;
  for (let b = b0; b < b1; b++) {
    for (let hg = 0; hg < H4; hg += GROUP) {
      const he = min(hg + GROUP, H4);
      for (let lb = 0; lb < L4; lb += LBLOCK) {
        const le = min(lb + LBLOCK, L4);
        for (let h = hg; h < he; h += 4) {
          let accA = f32x4.splat(0), accG = f32x4.splat(0);
          for (let l = lb; l < le; l += 4) {
            const o = g + rowsAt(b, h, l, H, L);
            const g0 = v128.load(o), g1 = v128.load(o + rs), g2 = v128.load(o + 2 * rs), g3 = v128.load(o + 3 * rs);
            const ba = v128.load(bias + (<usize>h << 2)), bg = v128.load(bias + gOff + (<usize>h << 2));
            const zo = tAt(b, l, h, 2 * H, L);
            // Per position k (four channels): dA_k, dG_k stored into dZt's row; then turned per channel for dZ.
            const da0 = gluBackV(col0(g0, g1, g2, g3), Zt + zo, dZt + zo, ba, bg, gOff);
            const da1 = gluBackV(col1(g0, g1, g2, g3), Zt + zo + rowZ, dZt + zo + rowZ, ba, bg, gOff);
            const da2 = gluBackV(col2(g0, g1, g2, g3), Zt + zo + 2 * rowZ, dZt + zo + 2 * rowZ, ba, bg, gOff);
            const da3 = gluBackV(col3(g0, g1, g2, g3), Zt + zo + 3 * rowZ, dZt + zo + 3 * rowZ, ba, bg, gOff);
            const dg0 = v128.load(dZt + zo + gOff), dg1 = v128.load(dZt + zo + rowZ + gOff);
            const dg2 = v128.load(dZt + zo + 2 * rowZ + gOff), dg3 = v128.load(dZt + zo + 3 * rowZ + gOff);
            accA = f32x4.add(accA, f32x4.add(f32x4.add(da0, da1), f32x4.add(da2, da3)));
            accG = f32x4.add(accG, f32x4.add(f32x4.add(dg0, dg1), f32x4.add(dg2, dg3)));
            const pa = dZ + ((<usize>h * BL + <usize>b * <usize>L + <usize>l) << 2), pg = pa + <usize>H * dzRow;
            v128.store(pa, col0(da0, da1, da2, da3));
            v128.store(pa + dzRow, col1(da0, da1, da2, da3));
            v128.store(pa + 2 * dzRow, col2(da0, da1, da2, da3));
            v128.store(pa + 3 * dzRow, col3(da0, da1, da2, da3));
            v128.store(pg, col0(dg0, dg1, dg2, dg3));
            v128.store(pg + dzRow, col1(dg0, dg1, dg2, dg3));
            v128.store(pg + 2 * dzRow, col2(dg0, dg1, dg2, dg3));
            v128.store(pg + 3 * dzRow, col3(dg0, dg1, dg2, dg3));
          }
          addF64x4(db + (<usize>h << 3), accA);
          addF64x4(db + (<usize>(H + h) << 3), accG);
        }
      }
      for (let l = L4; l < L; l++) for (let h = hg; h < he; h++) gluBackS(g, Zt, bias, dZ, dZt, db, b, h, l, H, L, BL);
    }
    for (let h = H4; h < H; h++) for (let l = 0; l < L; l++) gluBackS(g, Zt, bias, dZ, dZt, db, b, h, l, H, L, BL);
  }
}

// One position's four channels: dA (returned) and dG, both stored into the dZt row at zt.
// @ts-ignore: decorator
@inline function gluBackV(gv: v128, z: usize, zt: usize, ba: v128, bg: v128, gOff: usize): v128 {
  const s = sigmoidV(f32x4.add(v128.load(z + gOff), bg));
  const da = f32x4.mul(gv, s);
  v128.store(zt, da);
  v128.store(zt + gOff, f32x4.mul(f32x4.mul(da, f32x4.add(v128.load(z), ba)), f32x4.sub(f32x4.splat(1), s)));
  return da;
}

// @ts-ignore: decorator
@inline function gluBackS(g: usize, Zt: usize, bias: usize, dZ: usize, dZt: usize, db: usize, b: i32, h: i32, l: i32, H: i32, L: i32, BL: usize): void {
  const zo = tAt(b, l, h, 2 * H, L), gOff = <usize>H << 2;
  const s = sigmoidS(load<f32>(Zt + zo + gOff) + load<f32>(bias + (<usize>(H + h) << 2)));
  const da = load<f32>(g + rowsAt(b, h, l, H, L)) * s;
  const dg = da * (load<f32>(Zt + zo) + load<f32>(bias + (<usize>h << 2))) * (1 - s);
  store<f32>(dZt + zo, da);
  store<f32>(dZt + zo + gOff, dg);
  const col = <usize>b * <usize>L + <usize>l;
  store<f32>(dZ + ((<usize>h * BL + col) << 2), da);
  store<f32>(dZ + ((<usize>(H + h) * BL + col) << 2), dg);
  const pa = db + (<usize>h << 3), pg = db + (<usize>(H + h) << 3);
  store<f64>(pa, load<f64>(pa) + <f64>da);
  store<f64>(pg, load<f64>(pg) + <f64>dg);
}

/**
 * LayerNorm over the channel axis of x [B, H, L] (per (b, l), over h): y = x̂·γ[h] + β[h] with
 * x̂ = (x − μ)·r, r = 1/√(σ² + ε) (biased variance, as nn.LayerNorm). Keeps x̂ [B, H, L] and r [B, L].
 * Four consecutive l at a time: the reduction over h runs down a column of the [H, L] slab.
 */
export function layerNormForward(x: usize, gamma: usize, beta: usize, y: usize, xhat: usize, rstd: usize, B: i32, H: i32, L: i32, eps: f32, b0: i32, b1: i32): void {
  const L4 = L & ~3;
  const invH = f32x4.splat(<f32>1 / <f32>H);
  for (let b = b0; b < b1; b++) {
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
export function layerNormBackward(dy: usize, xhat: usize, rstd: usize, gamma: usize, dx: usize, dgamma: usize, dbeta: usize, B: i32, H: i32, L: i32, b0: i32, b1: i32): void {
  const L4 = L & ~3;
  const invH = f32x4.splat(<f32>1 / <f32>H);
  for (let b = b0; b < b1; b++) {
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
