import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";

const run = (...args: string[]) =>
  spawnSync("node", ["bin/w4s4.js", ...args], { encoding: "utf8", env: { ...process.env, W4S4_BACKEND: "" } });

describe("w4s4 CLI", () => {
  it("--help lists the commands", () => {
    const r = run("--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/usage: w4s4 <command>/);
    expect(r.stdout).toMatch(/\n {2}backend +print/);
  });
  it("backend prints the real active backend", () => {
    const r = run("backend", "--json");
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(["tensorflow", "wasm", "cpu"]).toContain(info.name);
    expect(info.tried.at(-1)).toMatchObject({ backend: info.name, ok: true });
  });
  it("forcing an unavailable backend exits non-zero naming it", () => {
    const r = run("backend", "--backend", "tensorflow");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Backend "tensorflow" \(forced by option\) is not available/);
  });
  it("bad input exits 2 with a clear message", () => {
    expect(run("backend", "--backend", "quantum").stderr).toMatch(/Invalid backend: got "quantum"/);
    expect(run("backend", "--backend", "quantum").status).toBe(2);
    const u = run("frobnicate");
    expect(u.status).toBe(2);
    expect(u.stderr).toMatch(/Unknown command "frobnicate"; allowed: /);
  });
});
