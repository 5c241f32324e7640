// The wasm backend's thread pool (src/wasmThreads.ts): W4S4_WASM_THREADS parsing, what the CLI
// reports, that a bad value is an error rather than a fallback, and that the pool neither keeps
// the process alive nor bloats an uncaught error's report. Child processes, since the threaded
// init happens once per process.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { ParameterError } from "../src/errors.js";
import { projectRoot } from "../src/paths.js";
import { MAX_WASM_THREADS, wasmThreadCount } from "../src/wasmThreads.js";

const ROOT = projectRoot();
const cores = os.availableParallelism();
const defaultThreads = Math.min(8, cores);
const threadsText = (n: number) => `SIMD, ${n} thread${n === 1 ? "" : "s"}`;

/** The environment of a child: ours without the variables under test, plus `extra`. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.W4S4_WASM_THREADS;
  delete env.W4S4_BACKEND;
  return { ...env, ...extra };
}

function runNode(args: string[], env: NodeJS.ProcessEnv, timeout = 30_000) {
  const r = spawnSync(process.execPath, ["--import", "tsx", ...args], { cwd: ROOT, env, encoding: "utf8", timeout });
  expect(r.error, `spawn ${args.join(" ")}`).toBeUndefined();
  return r;
}

describe("wasmThreadCount", () => {
  const saved = process.env.W4S4_WASM_THREADS;
  const withEnv = <T>(v: string | undefined, f: () => T): T => {
    if (v === undefined) delete process.env.W4S4_WASM_THREADS;
    else process.env.W4S4_WASM_THREADS = v;
    try {
      return f();
    } finally {
      if (saved === undefined) delete process.env.W4S4_WASM_THREADS;
      else process.env.W4S4_WASM_THREADS = saved;
    }
  };

  it("unset (or empty): min(8, available cores); set: that integer", () => {
    expect(MAX_WASM_THREADS).toBe(8);
    expect(withEnv(undefined, wasmThreadCount)).toBe(defaultThreads);
    expect(withEnv("", wasmThreadCount)).toBe(defaultThreads);
    expect(withEnv("1", wasmThreadCount)).toBe(1);
    expect(withEnv("3", wasmThreadCount)).toBe(3);
    expect(withEnv("8", wasmThreadCount)).toBe(8);
    expect(process.env.W4S4_WASM_THREADS).toBe(saved);
  });

  for (const bad of ["0", "9", "2.5", "x", "-1"]) {
    it(`W4S4_WASM_THREADS=${JSON.stringify(bad)} is a ParameterError naming the variable and [1, 8]`, () => {
      let err: unknown;
      withEnv(bad, () => {
        try {
          wasmThreadCount();
        } catch (e) {
          err = e;
        }
      });
      expect(err).toBeInstanceOf(ParameterError);
      const msg = (err as Error).message;
      expect(msg).toContain("W4S4_WASM_THREADS");
      expect(msg).toContain("[1, 8]");
      expect(msg).toContain(JSON.stringify(bad));
      expect(process.env.W4S4_WASM_THREADS).toBe(saved);
    });
  }
});

describe("w4s4 backend (CLI, child process)", () => {
  it("W4S4_WASM_THREADS=1: wasm with 1 thread", () => {
    const r = runNode(["src/cli.ts", "backend"], childEnv({ W4S4_WASM_THREADS: "1", W4S4_BACKEND: "wasm" }));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('backend "wasm"');
    expect(r.stdout).toContain(`${threadsText(1)} (W4S4_WASM_THREADS=1)`);
  });

  it(`unset: wasm with min(8, cores) = ${defaultThreads} thread(s), no fallback`, () => {
    const r = runNode(["src/cli.ts", "backend"], childEnv({ W4S4_BACKEND: "wasm" }));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('backend "wasm"');
    expect(r.stdout).toContain(`${threadsText(defaultThreads)};`);
    // A failed threaded init would say so ("N threads failed (...), so tfjs' single-threaded build").
    expect(r.stdout).not.toContain("failed");
    if (cores >= 2) expect(r.stdout).toContain("2 threads");
  });

  it("W4S4_WASM_THREADS=9: exits non-zero naming the variable, backend selection is not silently done without it", () => {
    const r = runNode(["src/cli.ts", "backend"], childEnv({ W4S4_WASM_THREADS: "9" }));
    expect(r.status).not.toBe(0);
    expect(r.status).not.toBeNull();
    expect(r.stderr).toContain('Invalid W4S4_WASM_THREADS: got "9"; allowed: an integer in [1, 8]');
    expect(r.stdout).not.toContain("backend \"");
  });
});

describe("the threaded wasm backend in a plain script", () => {
  const dir = mkdtempSync(join(os.tmpdir(), "w4s4-threads-test-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The same tfjs module instance that src/backend.ts imports (tfjs has no "exports" map: its main).
  const tfPath = createRequire(join(ROOT, "package.json")).resolve("@tensorflow/tfjs");
  const script = (name: string, body: string) => {
    const file = join(dir, name);
    writeFileSync(
      file,
      `import * as tf from ${JSON.stringify(tfPath)};\n` +
        `import { initBackend, backendLine } from ${JSON.stringify(join(ROOT, "src/backend.ts"))};\n` +
        `async function main(): Promise<void> {\n${body}\n}\nvoid main();\n`,
    );
    return file;
  };

  it("exits by itself (status 0, within 20 s) after a matMul: the pool's threads do not hold the process", () => {
    const file = script(
      "exits.ts",
      `  const info = await initBackend({ backend: "wasm" });
  const a = tf.ones([64, 64]), b = tf.fill([64, 64], 2);
  const c = tf.matMul(a, b).dataSync();
  console.log(JSON.stringify({ backend: tf.getBackend(), line: backendLine(info), c0: c[0], cLast: c[c.length - 1], n: c.length }));
  // returns without process.exit`,
    );
    const t0 = Date.now();
    const r = runNode([file], childEnv(), 20_000);
    expect(r.signal, `killed after ${Date.now() - t0} ms: the process did not exit by itself`).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split("\n").at(-1)!);
    expect(out.backend).toBe("wasm");
    expect(out.line).toContain(threadsText(defaultThreads));
    expect(out.n).toBe(64 * 64);
    expect(out.c0).toBe(128);
    expect(out.cLast).toBe(128);
  }, 30_000);

  it("an uncaught error after the threaded init is reported by Node, briefly (no minified emscripten line)", () => {
    const file = script(
      "boom.ts",
      `  const info = await initBackend({ backend: "wasm" });
  console.log(backendLine(info));
  setTimeout(() => { throw new Error("boom"); });`,
    );
    const r = runNode([file], childEnv(), 20_000);
    expect(r.signal).toBeNull();
    expect(r.stdout).toContain(threadsText(defaultThreads));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("Error: boom");
    expect(r.stderr.length).toBeLessThan(5000);
  }, 30_000);
});
