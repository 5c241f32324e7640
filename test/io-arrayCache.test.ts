// The disk cache returns exactly what was computed, recomputes on any damaged or foreign entry,
// and a WaLRUS build through it is bit-identical to one without it.
import { afterEach, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cachedArrays, cacheDir, codeVersion } from "../src/io/arrayCache.js";
import { clearWalrusCache, walrus } from "../src/ssm/walrus.js";

const env = { dir: process.env.W4S4_CACHE_DIR, off: process.env.W4S4_CACHE };
afterEach(() => {
  for (const [k, v] of [["W4S4_CACHE_DIR", env.dir], ["W4S4_CACHE", env.off]] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
const useTmp = () => (process.env.W4S4_CACHE_DIR = mkdtempSync(join(tmpdir(), "w4s4-cache-")));

describe("arrayCache", () => {
  it("stores once, then returns the stored arrays bit for bit without computing", () => {
    const dir = useTmp();
    let calls = 0;
    const compute = () => (calls++, { a: Float64Array.of(Math.PI, -0, 1e-310, NaN), b: new Float64Array(0) });
    const first = cachedArrays("t", { x: 1 }, compute);
    const again = cachedArrays("t", { x: 1 }, compute);
    expect(calls).toBe(1);
    expect(Array.from(again.a)).toEqual(Array.from(first.a));
    expect(Object.is(again.a[1], -0)).toBe(true);
    expect(again.b.length).toBe(0);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it("recomputes (and repairs) a file with a flipped byte, a truncated file and another key's file", () => {
    const dir = useTmp();
    let calls = 0;
    const compute = () => (calls++, { a: Float64Array.of(1, 2, 3) });
    cachedArrays("t", { x: 2 }, compute);
    const f = join(dir, readdirSync(dir)[0]);
    const good = readFileSync(f);
    const bad = Buffer.from(good);
    bad[bad.length - 10] ^= 1;
    writeFileSync(f, bad);
    expect(Array.from(cachedArrays("t", { x: 2 }, compute).a)).toEqual([1, 2, 3]);
    expect(calls).toBe(2);
    expect(readFileSync(f).equals(good)).toBe(true); // rewritten
    writeFileSync(f, good.subarray(0, good.length - 9));
    cachedArrays("t", { x: 2 }, compute);
    expect(calls).toBe(3);
    // Same file name, different key inside: a hash collision must not return the wrong result.
    cachedArrays("t", { x: 3 }, () => ({ a: Float64Array.of(9) }));
    const other = readdirSync(dir).map((n) => join(dir, n)).find((p) => p !== f)!;
    writeFileSync(f, readFileSync(other));
    expect(Array.from(cachedArrays("t", { x: 2 }, compute).a)).toEqual([1, 2, 3]);
    expect(calls).toBe(4);
  });

  it("W4S4_CACHE=off computes every time and writes nothing", () => {
    const dir = useTmp();
    process.env.W4S4_CACHE = "off";
    expect(cacheDir()).toBeUndefined();
    let calls = 0;
    for (let i = 0; i < 2; i++) cachedArrays("t", { x: 4 }, () => (calls++, { a: Float64Array.of(1) }));
    expect(calls).toBe(2);
    expect(readdirSync(dir)).toHaveLength(0);
  });

  it("codeVersion: a hash of the files and package versions; a missing file turns the disk cache off", () => {
    const dir = useTmp();
    const v = codeVersion(["package.json"], ["ml-matrix"]);
    expect(v).toMatch(/^[0-9a-f]{16}$/);
    expect(codeVersion(["package.json"])).not.toBe(v);
    expect(codeVersion(["no/such/file.ts"])).toBeNull();
    let calls = 0;
    for (let i = 0; i < 2; i++) cachedArrays("t", { x: 5 }, () => (calls++, { a: Float64Array.of(1) }), null);
    expect(calls).toBe(2);
    expect(readdirSync(dir)).toHaveLength(0);
    // The same inputs under another code version are another entry.
    cachedArrays("t", { x: 5 }, () => (calls++, { a: Float64Array.of(1) }), "aaaa");
    cachedArrays("t", { x: 5 }, () => (calls++, { a: Float64Array.of(2) }), "bbbb");
    expect(calls).toBe(4);
    expect(readdirSync(dir)).toHaveLength(2);
  });

  it("a WaLRUS build through the cache, cold and warm, equals one computed without it, bit for bit", () => {
    process.env.W4S4_CACHE = "off";
    clearWalrusCache();
    const ref = walrus({ N: 8 });
    delete process.env.W4S4_CACHE;
    const dir = useTmp();
    clearWalrusCache();
    walrus({ N: 8 }); // fills the cache
    expect(readdirSync(dir).some((n) => n.startsWith("gram-spectrum-"))).toBe(true);
    expect(readdirSync(dir).some((n) => n.startsWith("walrus-smin-"))).toBe(true);
    clearWalrusCache();
    const warm = walrus({ N: 8 });
    expect(Array.from(warm.A.to1DArray())).toEqual(Array.from(ref.A.to1DArray()));
    expect(Array.from(warm.B)).toEqual(Array.from(ref.B));
    expect(Array.from(warm.W.to1DArray())).toEqual(Array.from(ref.W.to1DArray()));
    expect(warm.frame).toEqual(ref.frame);
  });
});
