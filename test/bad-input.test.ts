// Bad input, as a table: every case exits 2 (CLI) or throws a ParameterError (library), its message
// names the parameter, and nothing is written. A new case is one line.
import { describe, expect, it, beforeAll } from "vitest";
import { mkdtempSync, readdirSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../src/cli.js";
import { ParameterError } from "../src/errors.js";

const root = mkdtempSync(join(tmpdir(), "w4s4-bad-"));
const outDir = join(root, "out"); // every case that writes is pointed here; it must stay empty
const cfgDir = join(root, "cfg");
const cfg = (name: string, c: unknown) => {
  const f = join(cfgDir, `${name}.json`);
  writeFileSync(f, JSON.stringify(c));
  return f;
};

// [argv, parameter named in the message (regex source)]
type Case = [string[], string];
let CLI: Case[] = [];

beforeAll(() => {
  mkdirSync(outDir, { recursive: true });
  mkdirSync(cfgDir, { recursive: true });
  const T = ["train", "--task", "mnist", "--init", "walrus", "--out", join(outDir, "run")];
  CLI = [
    [["delay", "--length", "1e9"], "length"],
    [["delay", "--N", "128", "--length", "200000"], "length"],
    [["delay", "--dt-grid", "1e-3,1e-2,1000000000"], "dt-grid"],
    [["delay", "--dt-grid", "1e-3,1e-2"], "dt-grid"],
    [["delay", "--N", "100000"], "N"],
    [["delay", "--delay", "5000"], "delay"],
    [["delay", "--dt", "-1"], "dt"],
    [["delay", "--dt", "0.01", "--dt-grid", "1e-3,1e-2,3"], "dt"],
    [["delay", "--dt", "0.01", "--csv", "package.json/x.csv"], "csv"],
    [["delay", "--dt", "0.01", "--svg", "package.json/x.svg"], "svg"],
    [["delay", "--dt", "0.01", "--csv", outDir], "csv"],
    [["delay", "--init", "nope"], "init"],
    [["delay", "--seed", ""], "seed"],
    [["kernel", "legs", "--N", "4", "--dt", "1e308", "--L", "4"], "dt"],
    [["kernel", "legs", "--N", "4", "--dt", "-1", "--L", "4"], "dt"],
    [["kernel", "legs", "--N", "4", "--dt", "0.1", "--L", "2000000"], "L"],
    [["kernel", "legs", "--N", "4", "--dt", "0.1", "--L", "4", "--readout", "dual:2"], "readout"],
    [["kernel", "legs", "--N", "4", "--dt", "0.1", "--L", "4", "--disc", "euler"], "disc"],
    [["kernel", "legs", "--N", "4096", "--dt", "0.1", "--L", "4"], "N"],
    [["init", "legs", "--N", "4096"], "N"],
    [["init", "walrus", "--N", "512"], "N"],
    [["init", "s4d-lin", "--N", "100000"], "N"],
    [["init", "legs", "--N", ""], "N"],
    [["init", "nope", "--N", "4"], "init"],
    [["init", "legs", "--N", "4", "--npy", "package.json/sub"], "npy"],
    [["init", "legs", "--N", "4", "--json", "--npy", join(outDir, "npy")], "json/--npy"],
    [["theorem1", "--N", "1000"], "N"],
    [["train", "--task", "cifar", "--init", "walrus"], "task"],
    [["train", "--init", "walrus"], "task"],
    [["train", "--task", "mnist"], "init"],
    [["train", "--task", "mnist", "--init", "nope"], "init"],
    [[...T, "--size", "huge"], "size"],
    [[...T, "--epochs", "0"], "epochs"],
    [[...T, "--epochs", "1e9"], "epochs"],
    [[...T, "--seed", ""], "seed"],
    [[...T, "--seed", "-3"], "seed"],
    [[...T, "--seed", "1.5"], "seed"],
    [[...T, "--backend", "quantum"], "backend"],
    [[...T, "--config", join(cfgDir, "missing.json")], "config"],
    [[...T, "--config", cfg("notjson", "{")], "config"],
    [[...T, "--config", cfg("dmodel", { model: { dmodel: 8 } })], 'model\\.dmodel.*did you mean "dModel"'],
    [[...T, "--config", cfg("nlayers", { model: { nlayers: 2 } })], 'model\\.nlayers.*did you mean "nLayers"'],
    [[...T, "--config", cfg("dModelHuge", { model: { dModel: 1e9 } })], "model\\.dModel"],
    [[...T, "--config", cfg("layersHuge", { model: { nLayers: 1000 } })], "model\\.nLayers"],
    [[...T, "--config", cfg("stateHuge", { model: { dState: 1e6 } })], "model\\.dState"],
    [[...T, "--config", cfg("disc", { model: { disc: "euler" } })], "model\\.disc"],
    [[...T, "--config", cfg("dropout", { model: { dropout: 1 } })], "model\\.dropout"],
    [[...T, "--config", cfg("modelInit", { model: { init: "legs" } })], "config\\.model\\.init"],
    [[...T, "--config", cfg("batch", { train: { batchSize: 1e6 } })], "train\\.batchSize"],
    [[...T, "--config", cfg("lr", { train: { lr: -1 } })], "train\\.lr"],
    [[...T, "--config", cfg("trainKey", { train: { learningRate: 0.1 } })], "train\\.learningRate"],
    [[...T, "--config", cfg("dataKey", { data: { maxtrain: 5 } })], 'config\\.data\\.maxtrain.*did you mean "maxTrain"'],
    [[...T, "--config", cfg("topKey", { optim: {} })], "config\\.optim"],
    [["train", "--task", "mnist", "--init", "walrus", "--out", "package.json"], "out"],
    [["train", "--resume", join(outDir, "nothing")], "run directory"],
    [["train", "--resume", join(outDir, "x"), "--out", join(outDir, "y")], "--resume"],
    [["train", "--resume", join(outDir, "x"), "--overwrite"], "--resume"],
    [["train", "--task", "mnist", "--init", "walrus", "--bogus"], "bogus"],
    [["eval", "--run", "/nonexistent"], "run"],
    [["eval"], "run"],
    [["eval", "--run", outDir, "--split", "dev"], "split"],
    [["backend", "--backend", "quantum"], "backend"],
  ];
});

function capture(): { text: () => string; restore: () => void } {
  const err: string[] = [];
  const e = console.error, l = console.log;
  console.error = (...a: unknown[]) => void err.push(a.join(" "));
  console.log = () => {};
  return { text: () => err.join("\n"), restore: () => ((console.error = e), (console.log = l)) };
}

describe("bad input to the CLI", () => {
  it("every case exits 2, names the parameter, and writes nothing", async () => {
    expect(CLI.length).toBeGreaterThan(50);
    const failures: string[] = [];
    for (const [argv, param] of CLI) {
      const c = capture();
      let code: number;
      try {
        code = await main(argv);
      } finally {
        c.restore();
      }
      const msg = c.text();
      if (code !== 2) failures.push(`${argv.join(" ")}: exit ${code} (${msg.slice(0, 200)})`);
      else if (!new RegExp(`Invalid [^:]*${param}|${param}`).test(msg.split("\n")[0])) failures.push(`${argv.join(" ")}: message does not name ${param}: ${msg.slice(0, 200)}`);
      const written = readdirSync(outDir);
      if (written.length) failures.push(`${argv.join(" ")}: wrote ${written.join(", ")}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe("bad input to the library", () => {
  const cases: [string, () => unknown | Promise<unknown>, string][] = [
    ["S4DLayer dModel 1e9", async () => new (await import("../src/nn/s4dLayer.js")).S4DLayer({ dModel: 1e9 }), "dModel"],
    ["S4DLayer disc euler", async () => new (await import("../src/nn/s4dLayer.js")).S4DLayer({ dModel: 4, disc: "euler" as never }), "disc"],
    ["S4DLayer unknown key", async () => new (await import("../src/nn/s4dLayer.js")).S4DLayer({ dModel: 4, dstate: 8 } as never), "dstate"],
    ["model dModel 1e9", async () => (await import("../src/nn/model.js")).resolveModelConfig({ input: { kind: "real", dInput: 1 }, dOutput: 2, dModel: 1e9 }), "model.dModel"],
    ["model misspelt init knob", async () => (await import("../src/nn/model.js")).resolveModelConfig({ input: { kind: "real", dInput: 1 }, dOutput: 2, initOptions: { smax: 2 } } as never), "model.initOptions.smax"],
    ["layer misspelt init knob", async () => new (await import("../src/nn/s4dLayer.js")).S4DLayer({ dModel: 2, initOptions: { wavlet: "db4" } } as never), "initOptions.wavlet"],
    ["model misspelt key", async () => (await import("../src/nn/model.js")).resolveModelConfig({ input: { kind: "real", dInput: 1 }, dOutput: 2, nlayers: 2 } as never), "model.nlayers"],
    ["train batch 1e6", async () => (await import("../src/nn/trainConfig.js")).resolveTrainConfig({ batchSize: 1e6 }), "train.batchSize"],
    ["readout dual 2", async () => {
      const r = await import("../src/ssm/registry.js");
      return r.readout(r.denseInit("legs", { N: 4 }), { dual: 2 });
    }, "dual"],
    ["denseKernel C of wrong length", async () => {
      const { denseKernel } = await import("../src/ssm/reference.js");
      const { discretize } = await import("../src/ssm/discretize.js");
      const { hippoLegS } = await import("../src/ssm/hippo.js");
      return denseKernel(discretize(hippoLegS(4), 0.1), new Float64Array(3), 8);
    }, "C"],
    ["discretize dt 1e308", async () => {
      const { discretize } = await import("../src/ssm/discretize.js");
      const { hippoLegS } = await import("../src/ssm/hippo.js");
      return discretize(hippoLegS(4), 1e308);
    }, "dt"],
    ["diagonal dt 1e308 zoh", async () => {
      const { discretizeDiagonal } = await import("../src/ssm/discretize.js");
      const { s4dLin } = await import("../src/ssm/s4dInit.js");
      return discretizeDiagonal(s4dLin(4), 1e308, "zoh");
    }, "dt"],
    ["diagonalInit N 1e6", async () => (await import("../src/ssm/registry.js")).diagonalInit("s4d-lin", { N: 1e6 }), "N"],
    ["denseInit N 4096", async () => (await import("../src/ssm/registry.js")).denseInit("legs", { N: 4096 }), "N"],
    ["dataset misspelt option", async () => (await import("../src/datasets/index.js")).loadDataset("mnist", { maxtrain: 4 } as never), "data.maxtrain"],
    ["delay signal length 1e9", async () => (await import("../src/tasks/delay.js")).resolveSignal({ signal: "white", length: 1e9 }), "length"],
    ["dt grid of 1e9 points", async () => (await import("../src/tasks/delay.js")).dtGrid(1e-3, 1e-2, 1e9), "dt-grid count"],
    ["labels out of range (7 of 2 classes)", () => trainWithLabels([0, 1, 7, 0]), "data.train.y"],
    ["labels out of range (-1)", () => trainWithLabels([0, -1, 1, 0]), "data.train.y"],
  ];
  for (const [name, f, param] of cases) {
    it(name, async () => {
      let err: unknown;
      try {
        await f();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ParameterError);
      expect((err as ParameterError).parameter).toContain(param);
    });
  }
});

async function trainWithLabels(labels: number[]): Promise<unknown> {
  const { SSMModel } = await import("../src/nn/model.js");
  const { train } = await import("../src/nn/trainer.js");
  const n = labels.length, L = 4;
  const split = { x: new Float32Array(n * L), y: Int32Array.from(labels), n };
  const model = new SSMModel({ input: { kind: "real", dInput: 1 }, dOutput: 2, dModel: 4, nLayers: 1, dState: 4 });
  return train(model, { name: "t", input: { kind: "real", dInput: 1 }, length: L, train: split, val: { ...split, y: new Int32Array(n) } }, { epochs: 1 }, { progress: false, log: () => {} });
}
