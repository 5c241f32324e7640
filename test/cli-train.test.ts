// `w4s4 train` / `w4s4 eval` end to end on a tiny MNIST run: the JSON contract, a resumed run that
// continues from the checkpoint, eval reproducing the trainer's test accuracy, and bad input.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const w4s4 = (...args: string[]) => spawnSync("node", ["--import", "tsx", "src/cli.ts", ...args], { encoding: "utf8", maxBuffer: 32 << 20 });

describe("w4s4 train / eval", () => {
  it("trains, resumes to more epochs, and eval reproduces the test accuracy", () => {
    const dir = join(mkdtempSync(join(tmpdir(), "w4s4-train-")), "run");
    const cfg = join(dir + "-cfg.json");
    writeFileSync(cfg, JSON.stringify({ model: { dModel: 8, dState: 8 }, data: { maxTrain: 64, maxVal: 32, maxTest: 64 } }));
    const a = w4s4("train", "--task", "mnist", "--init", "walrus", "--frozen-a", "--size", "small", "--epochs", "1", "--config", cfg, "--out", dir, "--json", "--backend", "cpu");
    expect(a.status, a.stderr).toBe(0);
    const ra = JSON.parse(a.stdout);
    expect(ra).toMatchObject({ task: "mnist", init: "walrus", frozenA: true, size: "small", seed: 0, epochs: 1, backend: "cpu" });
    expect(a.stderr).toMatch(/optimizer group ssm/);
    for (const f of ["run.json", "manifest.json", "last.ckpt", "best.ckpt", "metrics.jsonl", "metrics.csv", "test.json"]) expect(existsSync(join(dir, f)), f).toBe(true);
    const b = w4s4("train", "--resume", dir, "--epochs", "2", "--json");
    expect(b.status, b.stderr).toBe(0);
    const rb = JSON.parse(b.stdout);
    expect(rb.epochs).toBe(2);
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n").length).toBe(2);
    const e = w4s4("eval", "--run", dir, "--json");
    expect(e.status, e.stderr).toBe(0);
    const re = JSON.parse(e.stdout);
    expect(re.n).toBe(64);
    expect(re.acc).toBeCloseTo(rb.testAcc, 6);
  }, 240_000);

  it("rejects bad input with the flag's name before any work", () => {
    const r = w4s4("train", "--task", "cifar", "--init", "walrus");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Invalid --task: got "cifar"; allowed: one of fmnist, mnist, keywords, text, listops/);
    const s = w4s4("train", "--task", "mnist", "--init", "walrus", "--epochs", "0");
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/epochs/);
    const t = w4s4("eval", "--run", "/nonexistent");
    expect(t.status).toBe(2);
  });
});
