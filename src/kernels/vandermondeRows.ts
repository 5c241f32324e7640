// The float64 loops of vandermondeJs (vandermonde.ts) for the channels h0 <= h < h1, so that
// convPool.ts can split them between threads. Layout: c and ζ = log z as [H, M] (re and im apart),
// K and the cotangent g as [H, L].
//   forward:  K[h, l] = Σ_m Re(c·z^l)       (powers by repeated multiplication, float64)
//   backward: S = Σ_l g_l z^l, T = Σ_l g_l·l·z^l;  ∂c_re = Re S, ∂c_im = −Im S, ∂ζ_re = Re(c·T), ∂ζ_im = −Im(c·T)

export interface ModeArrays {
  cr: ArrayLike<number>;
  ci: ArrayLike<number>;
  zr: ArrayLike<number>;
  zi: ArrayLike<number>;
}

export function vandermondeRows(x: ModeArrays, H: number, M: number, L: number, out: Float32Array, h0 = 0, h1 = H): void {
  const { cr, ci, zr, zi } = x;
  const acc = new Float64Array(L);
  for (let h = h0; h < h1; h++) {
    acc.fill(0);
    for (let m = 0; m < M; m++) {
      const i = h * M + m;
      const e = Math.exp(zr[i]);
      const ar = e * Math.cos(zi[i]), ai = e * Math.sin(zi[i]);
      let pr = cr[i], pi = ci[i]; // c·z^l
      for (let l = 0; l < L; l++) {
        acc[l] += pr;
        const t = pr * ar - pi * ai;
        pi = pr * ai + pi * ar;
        pr = t;
      }
    }
    for (let l = 0; l < L; l++) out[h * L + l] = acc[l];
  }
}

/** Gradients into `grad` = [∂c_re | ∂c_im | ∂ζ_re | ∂ζ_im], each [H, M]. */
export function vandermondeGradRows(x: ModeArrays, g: ArrayLike<number>, H: number, M: number, L: number, grad: Float32Array, h0 = 0, h1 = H): void {
  const { cr, ci, zr, zi } = x;
  const HM = H * M;
  for (let h = h0; h < h1; h++) {
    const off = h * L;
    for (let m = 0; m < M; m++) {
      const i = h * M + m;
      const e = Math.exp(zr[i]);
      const ar = e * Math.cos(zi[i]), ai = e * Math.sin(zi[i]);
      let pr = 1, pi = 0; // z^l
      let sr = 0, si = 0, tr = 0, ti = 0;
      for (let l = 0; l < L; l++) {
        const gl = g[off + l];
        sr += gl * pr;
        si += gl * pi;
        tr += gl * l * pr;
        ti += gl * l * pi;
        const t = pr * ar - pi * ai;
        pi = pr * ai + pi * ar;
        pr = t;
      }
      grad[i] = sr;
      grad[HM + i] = -si;
      grad[2 * HM + i] = cr[i] * tr - ci[i] * ti;
      grad[3 * HM + i] = -(cr[i] * ti + ci[i] * tr);
    }
  }
}

/** The four [H, M] arrays packed as one (the layout helper threads receive). */
export function packModes(x: ModeArrays, HM: number): Float32Array {
  const p = new Float32Array(4 * HM);
  p.set(x.cr as ArrayLike<number>, 0);
  p.set(x.ci as ArrayLike<number>, HM);
  p.set(x.zr as ArrayLike<number>, 2 * HM);
  p.set(x.zi as ArrayLike<number>, 3 * HM);
  return p;
}

export function unpackModes(p: ArrayLike<number> & { subarray?: unknown }, HM: number): ModeArrays {
  const a = p as Float32Array;
  return { cr: a.subarray(0, HM), ci: a.subarray(HM, 2 * HM), zr: a.subarray(2 * HM, 3 * HM), zi: a.subarray(3 * HM, 4 * HM) };
}
