// `w4s4 delay` in-process: JSON output, grids with CSV/SVG, exit code 2 on bad input.
import { afterEach, describe, expect, it, vi } from "vitest";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDtGrid } from "../src/cli/delay.js";
import { main } from "../src/cli.js";
import { delayTaskMSE, dtGrid } from "../src/tasks/delay.js";

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a) => void out.push(a.join(" ")));
  const error = vi.spyOn(console, "error").mockImplementation((...a) => void err.push(a.join(" ")));
  const write = vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
  // Large output (--json) is streamed to process.stdout in chunks rather than through console.log.
  const stdout = vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s).replace(/\n$/, "")), true));
  try {
    const code = await main(["delay", ...args]);
    return { code, out: out.join("\n"), err: err.join("") };
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
    stdout.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("w4s4 delay", () => {
  const small = ["--init", "legs", "--N", "16", "--signal", "white", "--seed", "3", "--length", "800", "--delay", "200"];
  it("--dt --json prints log10mse equal to the library call (1e-12)", async () => {
    const r = await run(...small, "--dt", "0.004", "--json");
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    const ref = delayTaskMSE({ init: "legs", N: 16, signal: "white", seed: 3, length: 800, delay: 200, dt: 0.004 });
    expect(j.log10mse).toBeCloseTo(ref.log10mse, 12);
    expect(j).toMatchObject({ init: "legs", N: 16, signal: "white", seed: 3, length: 800, delay: 200, disc: "bilinear", dt: 0.004 });
    expect(j.C.length).toBe(16);
  });
  it("accepts the real series as signals (ecg: a seeded window of MIT-BIH 208)", async () => {
    const r = await run("--init", "walrus", "--N", "16", "--signal", "ecg", "--seed", "2", "--length", "2000", "--delay", "500", "--dt", "0.002", "--json");
    expect(r.code, r.err).toBe(0);
    const ref = delayTaskMSE({ init: "walrus", N: 16, signal: "ecg", seed: 2, length: 2000, delay: 500, dt: 0.002 });
    expect(JSON.parse(r.out).log10mse).toBeCloseTo(ref.log10mse, 12);
    expect(Number.isFinite(ref.log10mse)).toBe(true);
  });
  it("--dt-grid prints bestDt and the curve, writes CSV and SVG, shows progress on stderr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "w4s4-delay-"));
    const r = await run(...small, "--dt-grid", "1e-3,1e-2,4", "--json", "--csv", join(dir, "c.csv"), "--svg", join(dir, "c.svg"));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.curve.length).toBe(4);
    const g = dtGrid(1e-3, 1e-2, 4);
    j.curve.forEach((p: { dt: number; log10mse: number }, i: number) => expect(p.dt).toBeCloseTo(g[i], 15));
    const best = j.curve.reduce((a: { log10mse: number }, b: { log10mse: number }) => (b.log10mse < a.log10mse ? b : a));
    expect(j.bestDt).toBe(best.dt);
    expect(j.log10mse).toBe(best.log10mse);
    expect(r.err).toMatch(/\[#+\] 4\/4/);
    const csv = readFileSync(join(dir, "c.csv"), "utf8").trim().split("\n");
    expect(csv[0]).toBe("init,N,signal,seed,length,delay,disc,dt,log10mse");
    expect(csv.length).toBe(5);
    expect(readFileSync(join(dir, "c.svg"), "utf8")).toMatch(/^<svg/);
  });
  it("zoh and the cholesky solver are accepted", async () => {
    const r = await run(...small, "--dt", "0.004", "--json", "--disc", "zoh", "--solver", "cholesky");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ disc: "zoh", solver: "cholesky" });
  });
  it("bad input exits 2 with a message naming the parameter", async () => {
    const cases: [string[], RegExp][] = [
      [["--length", "100", "--delay", "100", "--dt", "0.01"], /Invalid delay: got "100"; allowed: an integer in \[0, 99\]/],
      [["--dt", "0"], /Invalid dt: got 0; allowed: a finite number > 0/],
      [["--dt=-1"], /Invalid dt: got -1/],
      [["--dt", "-1"], /Invalid dt: got -1; allowed: a finite number > 0/], // a negative number after its flag is a value, not an option
      [["--dt", "abc"], /Invalid --dt: got "abc"/],
      [["--signal", "pink", "--dt", "0.01"], /Invalid signal: got "pink".*unknown signal/],
      [["--init", "hippo", "--dt", "0.01"], /Invalid init: got "hippo"; allowed: one of legs/],
      [["--init", "s4d-lin", "--N", "7", "--dt", "0.01"], /Invalid N/],
      [["--N", "2.5", "--dt", "0.01"], /Invalid N/],
      [["--dt-grid", "1e-3,1e-2"], /Invalid dt-grid/],
      [["--dt", "0.01", "--dt-grid", "1e-3,1e-2,3"], /either --dt or --dt-grid/],
      [["--disc", "euler", "--dt", "0.01"], /Invalid disc/],
      [["--bogus"], /Unknown option '--bogus'/],
    ];
    for (const [args, msg] of cases) {
      const r = await run("--length", "300", "--delay", "50", "--N", "8", "--init", "legs", ...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err, args.join(" ")).toMatch(msg);
    }
  });
  it("the default delay (500) is checked against a short --length", async () => {
    const r = await run("--length", "100", "--dt", "0.01");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/Invalid delay: got 500; allowed: an integer in \[0, 99\]/);
  });
  it("parseDtGrid", () => {
    expect(parseDtGrid("1e-3,1e-2,5")).toEqual({ lo: 1e-3, hi: 1e-2, count: 5 });
    expect(() => parseDtGrid("1e-2,1e-3,5")).toThrow(/Invalid dt-grid/);
    expect(() => parseDtGrid("1e-3,1e-2,0")).toThrow(/Invalid dt-grid/);
  });
});
