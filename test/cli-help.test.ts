// The train help states lists and limits the library owns. The parts the CLI cannot import without
// loading a backend are written out there; this test ties each one to its declaration.
import { describe, expect, it } from "vitest";
import { command as trainCommand } from "../src/cli/train.js";
import { MODEL_CONFIG_KEYS, MODEL_LIMITS } from "../src/nn/model.js";
import { TRAIN_CONFIG_KEYS, TRAIN_LIMITS } from "../src/nn/trainConfig.js";
import { CLASSIFICATION_TASKS } from "../src/tasks/classification.js";
import { INIT_NAMES } from "../src/ssm/registry.js";

const help = trainCommand.usage;
const line = (re: RegExp) => {
  const m = re.exec(help);
  expect(m, `help line ${re}`).not.toBeNull();
  return m![1];
};

describe("w4s4 train --help", () => {
  it("lists exactly the classification tasks and the inits", () => {
    expect(line(/^  --task\s+(.+)$/m).split(" | ")).toEqual([...CLASSIFICATION_TASKS]);
    expect(line(/^  --init\s+(.+)$/m).split(" | ")).toEqual([...INIT_NAMES]);
  });

  it("lists every model key a --config may set (the rest come from flags) and every train key", () => {
    const fromFlags = ["input", "dOutput", "init", "trainableA", "seed"];
    expect(line(/\(model: ([^;]+);/).split(" ").sort()).toEqual(MODEL_CONFIG_KEYS.filter((k) => !fromFlags.includes(k)).sort());
    expect(line(/train: ([^)]+)\)/).split(" ")).toEqual([...TRAIN_CONFIG_KEYS]);
  });

  it("states the limits the library enforces", () => {
    const limits = Object.fromEntries(line(/limits: ([^)]+)\)/).split(", ").map((s) => s.split(" <= ")).map(([k, v]) => [k, Number(v)]));
    expect(limits).toEqual({ dModel: MODEL_LIMITS.dModel, nLayers: MODEL_LIMITS.nLayers, dState: MODEL_LIMITS.dState, batchSize: TRAIN_LIMITS.batchSize });
    expect(line(/--epochs\s+override the preset, 1\.\.(\d+)/)).toBe(String(TRAIN_LIMITS.epochs));
  });
});
