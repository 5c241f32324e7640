// Run folders and checkpoints under faults: a rejected resume leaves the run intact, a finished run
// is never overwritten, a missing last.ckpt is "nothing to resume", damaged checkpoints are refused
// by name (every single-byte flip), stale temp files are cleaned, and a changed task is refused.
import { beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CheckpointError, checkpointBytes, parseCheckpoint } from "../src/nn/checkpoint.js";

const w4s4 = (...args: string[]) => spawnSync("node", ["bin/w4s4.js", ...args], { encoding: "utf8", maxBuffer: 32 << 20 });
const root = mkdtempSync(join(tmpdir(), "w4s4-faults-"));
const run = join(root, "run");
const cfg = join(root, "cfg.json");
const snapshot = (d: string) => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(join(d, f)).toString("base64")]));
const copy = (name: string) => {
  const d = join(root, name);
  cpSync(run, d, { recursive: true });
  return d;
};
let trained: { testAcc: number };

beforeAll(() => {
  writeFileSync(cfg, JSON.stringify({ model: { dModel: 8, dState: 8 }, data: { maxTrain: 64, maxVal: 32, maxTest: 64 } }));
  const r = w4s4("train", "--task", "mnist", "--init", "s4d-lin", "--size", "small", "--epochs", "1", "--config", cfg, "--out", run, "--json", "--backend", "cpu");
  expect(r.status, r.stderr).toBe(0);
  trained = JSON.parse(r.stdout);
}, 240_000);

describe("run folder", () => {
  it("writes run.json (full spec) and a manifest with versions, backend, seed and git commit", () => {
    const spec = JSON.parse(readFileSync(join(run, "run.json"), "utf8"));
    expect(spec).toMatchObject({ format: 1, spec: { task: "mnist", init: "s4d-lin", frozenA: false, size: "small", seed: 0, config: { model: { dModel: 8, dState: 8 }, train: { epochs: 1 } } } });
    const m = JSON.parse(readFileSync(join(run, "manifest.json"), "utf8")).starts[0];
    expect(m.backend).toBe("cpu");
    expect(m.seed).toBe(0);
    expect(m.versions["@tensorflow/tfjs"]).toMatch(/^\d+\.\d+\.\d+/);
    expect(m.gitCommit).toMatch(/^([0-9a-f]{40}|unknown)$/);
  });

  it("a rejected resume changes nothing; the plain resume and eval still work", () => {
    const d = copy("rejected");
    const before = snapshot(d);
    const bad = w4s4("train", "--resume", d, "--seed", "5");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--resume.*differ in seed/);
    expect(snapshot(d)).toEqual(before);
    const again = w4s4("train", "--resume", d, "--json");
    expect(again.status, again.stderr).toBe(0);
    const e = w4s4("eval", "--run", d, "--json");
    expect(e.status, e.stderr).toBe(0);
    expect(JSON.parse(e.stdout).acc).toBeCloseTo(trained.testAcc, 6);
  }, 120_000);

  it("a second train into a finished run is refused; --overwrite replaces it", () => {
    const d = copy("second");
    const before = snapshot(d);
    const r = w4s4("train", "--task", "mnist", "--init", "s4d-lin", "--size", "small", "--epochs", "1", "--config", cfg, "--out", d);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Invalid out: .*holds a run: continue it with --resume/);
    expect(snapshot(d)).toEqual(before);
    const o = w4s4("train", "--task", "mnist", "--init", "s4d-lin", "--size", "small", "--epochs", "1", "--config", cfg, "--out", d, "--overwrite", "--seed", "3", "--json");
    expect(o.status, o.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(d, "run.json"), "utf8")).spec.seed).toBe(3);
  }, 120_000);

  it("--overwrite never deletes a folder that is not a run", () => {
    const d = join(root, "precious");
    rmSync(d, { recursive: true, force: true });
    cpSync(cfg, join(d, "thesis.tex"), { recursive: true });
    const r = w4s4("train", "--task", "mnist", "--init", "s4d-lin", "--out", d, "--overwrite");
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/refusing to delete it/);
    expect(readdirSync(d)).toEqual(["thesis.tex"]);
  });

  it("--resume with last.ckpt deleted fails: nothing to resume", () => {
    const d = copy("nolast");
    rmSync(join(d, "last.ckpt"));
    const r = w4s4("train", "--resume", d);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/nothing to resume/);
  });

  it("a task changed in run.json is refused on resume (the checkpoint knows its data)", () => {
    const d = copy("task");
    const f = join(d, "run.json");
    const j = JSON.parse(readFileSync(f, "utf8"));
    j.spec.task = "text";
    writeFileSync(f, JSON.stringify(j));
    const r = w4s4("train", "--resume", d);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/data set stored in .*last\.ckpt|model config stored/);
    const e = w4s4("eval", "--run", d);
    expect(e.status).toBe(1);
    expect(e.stderr).toMatch(/best\.ckpt: holds a model trained on "mnist"/);
  }, 120_000);

  it("stale temp files of killed writes are removed on resume", () => {
    const d = copy("stale");
    writeFileSync(join(d, ".last.ckpt.999999999.1.tmp"), "half a checkpoint");
    const r = w4s4("train", "--resume", d);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(d, ".last.ckpt.999999999.1.tmp"))).toBe(false);
  }, 120_000);
});

describe("checkpoint damage", () => {
  it("flipped bytes in best.ckpt: eval refuses it, naming the file", () => {
    const d = copy("flip");
    const f = join(d, "best.ckpt");
    const b = readFileSync(f);
    for (let i = b.length - 200; i < b.length; i += 7) b[i] ^= 0x5a;
    writeFileSync(f, b);
    const r = w4s4("eval", "--run", d);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/checkpoint .*best\.ckpt: tensor .* checksum mismatch/);
  });

  it("damaged tensor data in last.ckpt: resume refuses it, naming the file (not the input)", () => {
    const d = copy("lastflip");
    const f = join(d, "last.ckpt");
    const b = readFileSync(f);
    b.writeFloatLE(NaN, b.length - 8);
    writeFileSync(f, b);
    const r = w4s4("train", "--resume", d);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/last\.ckpt: tensor .* checksum mismatch/);
    expect(r.stderr).not.toMatch(/Invalid u/);
  });

  it("a truncated header names the file", () => {
    const d = copy("trunc");
    const f = join(d, "best.ckpt");
    writeFileSync(f, readFileSync(f).subarray(0, 60));
    const r = w4s4("eval", "--run", d);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/best\.ckpt: header length \d+ runs past the end/);
  });

  it("every single-byte flip anywhere in a checkpoint is detected", () => {
    const buf = checkpointBytes({ meta: { epoch: 3 }, tensors: { a: { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6]) }, b: { shape: [1], data: Float32Array.from([7]) } } });
    expect(parseCheckpoint(Buffer.from(buf), "x.ckpt").tensors.a.data[5]).toBe(6);
    const missed: number[] = [];
    for (let i = 0; i < buf.length; i++) {
      const c = Buffer.from(buf);
      c[i] ^= 0x01;
      try {
        parseCheckpoint(c, "x.ckpt");
        missed.push(i);
      } catch (e) {
        if (!(e instanceof CheckpointError) || !/x\.ckpt/.test(e.message)) missed.push(i);
      }
    }
    expect(missed).toEqual([]);
  });
});
