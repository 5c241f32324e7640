import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readNpy, npyBytes } from "../src/cli/npy.js";
import { hippoLegS } from "../src/ssm/hippo.js";
import { discretize } from "../src/ssm/discretize.js";
import { denseKernel } from "../src/ssm/reference.js";

const w4s4 = (...args: string[]) => spawnSync("node", ["bin/w4s4.js", ...args], { encoding: "utf8", maxBuffer: 64 << 20 });
const json = (...args: string[]) => {
  const r = w4s4(...args);
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
};
const hasNumpy = spawnSync("/usr/bin/python3", ["-c", "import numpy"]).status === 0;

describe("w4s4 init", () => {
  it("legs: A, B and the exact eigenvalues, sorted", () => {
    const out = json("init", "legs", "--N", "8", "--json");
    expect(out.name).toBe("legs");
    expect(out.N).toBe(8);
    expect(out.A[5]).toEqual(hippoLegS(8).A.getRow(5));
    expect(out.B[3]).toBeCloseTo(Math.sqrt(7), 15);
    expect(out.eigenvalues).toEqual(Array.from({ length: 8 }, (_, k) => [k - 8, 0]));
  });
  it("s4d-inv: N eigenvalues in conjugate pairs, sorted by imaginary part, real block-diagonal A", () => {
    const out = json("init", "s4d-inv", "--N", "8");
    expect(out.eigenvalues.length).toBe(8);
    const im = out.eigenvalues.map((e: number[]) => e[1]);
    expect(im).toEqual([...im].sort((a: number, b: number) => a - b));
    expect(im[0]).toBeCloseTo(-im[7], 12);
    expect(out.A[0][1]).toBeCloseTo(-out.A[1][0], 15);
    expect(out.A[0][2]).toBe(0);
  });
  it("walrus --npy writes .npy files that round-trip (and load in numpy when installed)", () => {
    const dir = mkdtempSync(join(tmpdir(), "w4s4-npy-"));
    const r = w4s4("init", "walrus", "--N", "16", "--npy", dir);
    expect(r.status).toBe(0);
    const A = readNpy(readFileSync(join(dir, "A.npy")));
    const e = readNpy(readFileSync(join(dir, "eigenvalues.npy")));
    expect(A.dtype).toBe("<f8");
    expect(A.shape).toEqual([16, 16]);
    expect(e.dtype).toBe("<c16");
    expect(e.data.length).toBe(32);
    // Theorem 1 (SaFARi sign |λ| > 1): in S4 sign every real part is < −1.
    for (let k = 0; k < 16; k++) expect(e.data[2 * k]).toBeLessThan(-1);
    if (hasNumpy) {
      const py = spawnSync("/usr/bin/python3", ["-c", `import numpy as np; A=np.load('${dir}/A.npy'); e=np.load('${dir}/eigenvalues.npy'); print(A.shape, e.dtype, float(np.max(np.abs(np.sort_complex(np.linalg.eigvals(A)) - np.sort_complex(e)))))`], { encoding: "utf8" });
      const [, dtype, err] = /\(16, 16\) (complex128) (\S+)/.exec(py.stdout)!;
      expect(dtype).toBe("complex128");
      expect(Number(err)).toBeLessThan(1e-9);
    }
  });
  it("npy header is padded to 64 bytes and ends with a newline", () => {
    const b = npyBytes(Float64Array.from([1, 2, 3]), [3]);
    const hlen = b[8] + 256 * b[9];
    expect((10 + hlen) % 64).toBe(0);
    expect(b[10 + hlen - 1]).toBe(10);
    expect(readNpy(b).data).toEqual(Float64Array.from([1, 2, 3]));
  });
});

describe("w4s4 kernel and theorem1", () => {
  it("kernel equals the float64 dense reference (bt readout, bilinear and zoh)", () => {
    for (const disc of ["bilinear", "zoh"]) {
      const out = json("kernel", "legs", "--N", "8", "--dt", "0.01", "--L", "64", "--disc", disc, "--readout", "bt", "--json");
      const s = hippoLegS(8);
      const ref = denseKernel(discretize(s, 0.01, disc as "bilinear" | "zoh"), s.B, 64);
      expect(out.kernel.length).toBe(64);
      for (let l = 0; l < 64; l++) expect(out.kernel[l]).toBeCloseTo(ref[l], 12);
    }
  });
  it("dual readout of WaLRUS reconstructs a delay: the kernel peaks near lag D for x = e^{-D dt}", () => {
    const dt = 0.01, D = 50;
    const out = json("kernel", "walrus", "--N", "32", "--dt", String(dt), "--L", "200", "--readout", `dual:${Math.exp(-D * dt)}`);
    const K: number[] = out.kernel;
    const peak = K.indexOf(Math.max(...K));
    expect(Math.abs(peak - D)).toBeLessThanOrEqual(5);
  });
  it("theorem1 counts for N = 8 (walrus-math §5.2)", () => {
    const out = json("theorem1", "--N", "8", "--json");
    expect(Object.keys(out)).toEqual(["Nf", "naturalRank", "nUnit", "nNontrivial", "minAbsNontrivial", "maxAbs", "condVReduced", "condVFull", "maxUnitVisibility"]);
    expect([out.Nf, out.nUnit, out.nNontrivial, out.naturalRank]).toEqual([107, 99, 8, 11]);
    expect(out.minAbsNontrivial).toBeCloseTo(1.122, 2);
    expect(out.maxUnitVisibility).toBeLessThan(1e-12);
  });
  it("bad input exits 2 naming the parameter", () => {
    const cases: [string[], RegExp][] = [
      [["init", "legs", "--N", "0"], /Invalid N: got 0/],
      [["init", "s4d-lin", "--N", "7"], /Invalid N: got 7; allowed: an even integer/],
      [["init", "walrus", "--N", "8", "--wavelet", "db42"], /Invalid wavelet: got "db42"/],
      [["init", "hippo", "--N", "8"], /Invalid init: got "hippo"/],
      [["init", "legs"], /Invalid --N: got undefined; allowed: a number \(required\)/],
      [["kernel", "legs", "--N", "4", "--dt=-1", "--L", "4"], /Invalid dt: got -1/],
      [["kernel", "legs", "--N", "4", "--dt", "abc", "--L", "4"], /Invalid --dt: got "abc"/],
      [["kernel", "legs", "--N", "4", "--dt", "0.1", "--L", "4", "--disc", "euler"], /Invalid --disc: got "euler"/],
      [["theorem1", "--N", "8", "--eta", "0"], /Invalid eta/],
    ];
    for (const [args, msg] of cases) {
      const r = w4s4(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(msg);
    }
  });
});
