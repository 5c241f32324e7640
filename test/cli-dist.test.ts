// The compiled CLI (scripts/build.mjs → dist/, run by bin/w4s4.js) against the tsx path: same output,
// and a stale build is never run. Builds into its own folder under .cache/ (inside the project, so
// node_modules resolves), which W4S4_DIST points the bin at; the real dist/ is never touched.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const out = join(root, ".cache", `dist-test-${process.pid}`);
const stale = `${out}-stale`;

const run = (dist: string, ...args: string[]) =>
  spawnSync("node", ["bin/w4s4.js", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, W4S4_DIST: dist, W4S4_DEBUG: "1", W4S4_BACKEND: "", W4S4_CACHE: "off" },
  });

beforeAll(() => {
  const b = spawnSync("node", ["scripts/build.mjs", "--out-dir", out], { cwd: root, encoding: "utf8" });
  expect(b.status, b.stderr).toBe(0);
}, 120_000);

afterAll(() => {
  for (const d of [out, stale]) rmSync(d, { recursive: true, force: true });
});

describe("compiled CLI (bin/w4s4.js on dist/)", () => {
  for (const args of [["backend"], ["init", "legs", "--N", "4", "--json"]]) {
    it(`${args.join(" ")}: the compiled path prints what the tsx path prints`, () => {
      const compiled = run(out, ...args);
      const tsx = run("off", ...args);
      expect(compiled.status, compiled.stderr).toBe(0);
      expect(tsx.status, tsx.stderr).toBe(0);
      expect(compiled.stderr).toContain(`running the compiled CLI in ${out}`);
      expect(tsx.stderr).toContain("running src/cli.ts through tsx");
      expect(compiled.stdout).toBe(tsx.stdout);
      expect(compiled.stdout.length).toBeGreaterThan(50);
    });
  }

  it("a stale stamp falls back to tsx with one line naming the file and npm run build", () => {
    cpSync(out, stale, { recursive: true });
    const f = join(stale, "build-stamp.json");
    const stamp = JSON.parse(readFileSync(f, "utf8")) as { files: Record<string, { mtimeMs: number; sha256: string }> };
    stamp.files["src/cli.ts"].mtimeMs -= 1000;
    stamp.files["src/cli.ts"].sha256 = "0".repeat(64);
    writeFileSync(f, JSON.stringify(stamp));
    const r = run(stale, "init", "legs", "--N", "4", "--json");
    expect(r.status, r.stderr).toBe(0);
    const notice = r.stderr.split("\n").filter((l) => l.includes("stale"));
    expect(notice).toEqual([`w4s4: the compiled CLI in ${stale} is stale (src/cli.ts changed since the build); running src/ through tsx instead. \`npm run build\` refreshes it.`]);
    expect(r.stderr).toContain("running src/cli.ts through tsx");
    expect(r.stdout).toBe(run("off", "init", "legs", "--N", "4", "--json").stdout);

    rmSync(f);
    expect(run(stale, "init", "legs", "--N", "2", "--json").stderr).toMatch(/is stale \(build-stamp\.json is missing or unreadable/);
  });

  it("a compiled main thread starts its FFT helper threads from the compiled worker", () => {
    const url = (p: string) => pathToFileURL(join(out, p)).href;
    const script = `
      const { setCompiledDir } = await import(${JSON.stringify(url("src/paths.js"))});
      setCompiledDir(${JSON.stringify(out)});
      const pool = await import(${JSON.stringify(url("src/kernels/convPool.js"))});
      const t0 = Date.now();
      let t = pool.convThreads();
      while (t.threads < 2 && !t.note && Date.now() - t0 < 30000) { await new Promise((r) => setTimeout(r, 20)); t = pool.convThreads(); }
      console.log(JSON.stringify({ entry: pool.workerEntry(), ...t }));`;
    const r = spawnSync("node", ["--input-type=module", "-e", script], { cwd: root, encoding: "utf8", env: { ...process.env, W4S4_WASM_THREADS: "2" } });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ entry: join(out, "src/kernels/convWorker.js"), threads: 2 });
  });
});
