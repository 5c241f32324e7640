// The seeded random streams every layer uses (initializers, dropout, shuffling, data generation,
// test signals): bit-reproducible across JS engines because mulberry32 needs only Math.imul, so the
// same seed gives the same stream in Node, a browser and the float64 reference (walrus-math §8.3).

/** mulberry32(seed): a function returning uniforms in [0, 1), 2^-32 resolution (walrus-math §8.3). */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Standard normals by Box–Muller, one normal per two uniforms: √(−2 ln(1−u₁))·cos(2πu₂)
 * (walrus-math §8.3). 1−u₁ ∈ (0, 1], so the log is always finite. The sine half is discarded on
 * purpose: the reference does the same, and matching its stream matters more than speed.
 */
export function normalStream(seed: number): () => number {
  const uni = mulberry32(seed);
  return () => {
    const u1 = uni();
    const u2 = uni();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  };
}

/**
 * n standard normals (float32) using both halves of each Box–Muller pair, r·cos θ and r·sin θ: twice
 * as many normals per uniform as normalStream, and a different stream (the embedding init uses it).
 */
export function normalPairs(n: number, seed: number): Float32Array {
  const g = mulberry32(seed);
  const e = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - g())), th = 2 * Math.PI * g();
    e[i] = r * Math.cos(th);
    if (i + 1 < n) e[i + 1] = r * Math.sin(th);
  }
  return e;
}
