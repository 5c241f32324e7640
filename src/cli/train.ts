// `w4s4 train` and `w4s4 eval`: classification with an init from the registry on a data set, on the
// best backend available; checkpoints, metrics and config in --out; --resume continues a killed run.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ParameterError, rejectUnknownKeys, requireOneOf } from "../errors.js";
import { SIZES, type Size } from "../notebookSize.js";
import type { Checkpoint } from "../nn/checkpoint.js";
import { checkRunDir, readRunSpec, RUN_FILES, specDifferences, type RunMode } from "../nn/runDir.js";
import type { CkptMeta } from "../nn/trainState.js";
// trainConfig loads no backend; the model's and the tasks' lists (which do) are tied to this help by test/cli-help.test.ts.
import { TRAIN_CONFIG_KEYS, TRAIN_LIMITS } from "../nn/trainConfig.js";
import { INIT_NAMES, type InitName } from "../ssm/registry.js";
import { printJson } from "./output.js";
import { intFlag } from "./ssmArgs.js";
import type { Command } from "./types.js";

const TRAIN_USAGE = `w4s4 train --task <name> --init <name> [--frozen-a] [--size small|default|full]
            [--config file.json] [--out DIR [--overwrite] | --resume DIR] [--seed S] [--epochs E] [--backend NAME] [--json]

Train a deep SSM classifier (state-spaces/s4 example.py recipe; W4S4 = --init walrus --frozen-a).
  --task     fmnist | mnist | keywords | text | listops
  --init     ${INIT_NAMES.join(" | ")}
  --frozen-a keep A (Λ) at its init, the W4S4 setting (default: trainable)
  --size     preset of data/model/epochs (default "default"; "small" = seconds, "full" = example.py)
  --config   JSON {"model": {...}, "train": {...}, "data": {...}} merged over the preset
             (model: dModel nLayers dState dropout prenorm norm pooling disc bidirectional dtMin dtMax initOptions;
              train: ${TRAIN_CONFIG_KEYS.join(" ")})
             (unknown keys are errors; limits: dModel <= 4096, nLayers <= 64, dState <= 1024, batchSize <= ${TRAIN_LIMITS.batchSize})
  --out      run directory (default out/runs/<task>-<init>[-frozen]-<size>-s<seed>[-c<config hash>]);
             an existing run there is refused unless --overwrite (which deletes it) or --resume
  --resume   continue the run in DIR from its last checkpoint; flags given must match the run, except
             --epochs, which may change
  --seed     data split, init and training seed, 0..4294967295 (default 0)
  --epochs   override the preset, 1..${TRAIN_LIMITS.epochs}
  --backend  force tensorflow | wasm | cpu | webgpu (default: best available)
  --json     print the result as JSON
Nothing is written before every argument is checked. Writes DIR/run.json (the run's full spec),
manifest.json (versions, backend, git commit), config.json, last.ckpt, best.ckpt (checksummed),
metrics.jsonl, metrics.csv, test.json.`;

const EVAL_USAGE = `w4s4 eval --run DIR [--split test|val|train] [--json]

Evaluate the best checkpoint of a finished (or interrupted) run on a split of its data set (the data
spec stored in DIR/run.json). A damaged checkpoint is refused (exit 1, naming the file).`;

/** Everything that defines a run; stored in run.json and compared in full on resume. */
export interface RunSpec {
  task: string;
  init: InitName;
  frozenA: boolean;
  size: Size;
  seed: number;
  /** Overrides merged over the preset ({} when none). */
  config: { model?: Record<string, unknown>; train?: Record<string, unknown>; data?: Record<string, unknown> };
}

function readConfig(path: string): RunSpec["config"] {
  if (!existsSync(path) || statSync(path).isDirectory()) throw new ParameterError("--config", "an existing JSON file", path);
  let c: unknown;
  try {
    c = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ParameterError("--config", "valid JSON", `${path}: ${(e as Error).message}`);
  }
  rejectUnknownKeys("config", c as object, ["model", "train", "data"]);
  return c as RunSpec["config"];
}

/** Validates a spec in full (the preset merged with the overrides) without loading data or a backend. */
async function validateSpec(s: RunSpec): Promise<void> {
  const { CLASSIFICATION_TASKS, PRESETS } = await import("../tasks/classification.js");
  const task = requireOneOf("task", s.task, CLASSIFICATION_TASKS);
  const p = PRESETS[task][s.size];
  const { resolveModelConfig } = await import("../nn/model.js");
  const { resolveTrainConfig } = await import("../nn/trainConfig.js");
  const { checkDatasetOptions } = await import("../datasets/index.js");
  for (const k of ["input", "dOutput", "init", "trainableA", "seed"]) {
    if (s.config.model && k in s.config.model) throw new ParameterError(`config.model.${k}`, "not set in --config (it comes from --task, --init, --frozen-a and --seed)", s.config.model[k]);
  }
  // The data set fixes input and classes; a stand-in checks every other field and bound now.
  resolveModelConfig({ ...p.model, ...(s.config.model ?? {}), input: { kind: "real", dInput: 1 }, dOutput: 2, init: s.init, trainableA: !s.frozenA, seed: s.seed });
  resolveTrainConfig({ ...p.train, seed: s.seed, ...(s.config.train ?? {}) });
  checkDatasetOptions(task, { ...p.data, ...(s.config.data ?? {}) }, "config.data");
}

function defaultOut(s: RunSpec): string {
  const cfg = JSON.stringify(s.config);
  const tag = cfg === "{}" ? "" : `-c${createHash("sha256").update(cfg).digest("hex").slice(0, 8)}`;
  return join("out", "runs", `${s.task}-${s.init}${s.frozenA ? "-frozen" : ""}-${s.size}-s${s.seed}${tag}`);
}

export const command: Command = {
  name: "train",
  summary: "train a deep SSM classifier (W4S4 or an S4D init) with checkpoints and resume",
  usage: TRAIN_USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        task: { type: "string" }, init: { type: "string" }, "frozen-a": { type: "boolean" }, size: { type: "string" },
        config: { type: "string" }, out: { type: "string" }, resume: { type: "string" }, overwrite: { type: "boolean" }, seed: { type: "string" },
        epochs: { type: "string" }, backend: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    });
    if (values.help) {
      console.log(TRAIN_USAGE);
      return 0;
    }
    // 1. Every argument, the whole config and the run directory are checked before anything is written.
    const { CLASSIFICATION_TASKS } = await import("../tasks/classification.js");
    const { BACKENDS } = await import("../backend.js");
    if (values.resume !== undefined && (values.out !== undefined || values.overwrite)) throw new ParameterError("--resume", "alone (the run directory is the one resumed; --out and --overwrite do not apply)", `--resume with ${values.out !== undefined ? "--out" : "--overwrite"}`);
    if (values.task !== undefined) requireOneOf("--task", values.task, CLASSIFICATION_TASKS);
    if (values.init !== undefined) requireOneOf("--init", values.init, INIT_NAMES);
    if (values.size !== undefined) requireOneOf("--size", values.size, SIZES);
    const backend = values.backend === undefined ? undefined : requireOneOf("--backend", values.backend, BACKENDS);
    const seed = values.seed === undefined ? undefined : intFlag("seed", values.seed, 0, 0xffffffff);
    const epochs = values.epochs === undefined ? undefined : intFlag("epochs", values.epochs, 1, TRAIN_LIMITS.epochs);
    const config = values.config !== undefined ? readConfig(values.config) : undefined;

    let spec: RunSpec, out: string, mode: RunMode;
    let lastCheckpoint: Checkpoint<CkptMeta> | undefined;
    if (values.resume !== undefined) {
      out = values.resume;
      mode = "resume";
      const saved = checkRunDir<RunSpec>(out, mode)!;
      // Flags given on resume must agree with the run; --epochs may change.
      const asked: RunSpec = {
        task: values.task ?? saved.task, init: (values.init as InitName) ?? saved.init, frozenA: values["frozen-a"] ?? saved.frozenA,
        size: (values.size as Size) ?? saved.size, seed: seed ?? saved.seed, config: config ?? saved.config,
      };
      const diff = specDifferences(saved, asked, ["config.train.epochs"]);
      if (diff.length) throw new ParameterError("--resume", `flags that match the run in ${out} (only --epochs may change); they differ in ${diff.join(", ")}`, out);
      spec = saved;
      // Refuse a damaged resume point now, before the backend starts or the data loads; the trainer resumes from this copy.
      lastCheckpoint = (await import("../nn/trainState.js")).loadLastCheckpoint(join(out, RUN_FILES.last));
    } else {
      if (values.task === undefined) throw new ParameterError("--task", CLASSIFICATION_TASKS.join(" | "), undefined);
      if (values.init === undefined) throw new ParameterError("--init", INIT_NAMES.join(" | "), undefined);
      spec = { task: values.task, init: values.init as InitName, frozenA: values["frozen-a"] ?? false, size: (values.size as Size) ?? "default", seed: seed ?? 0, config: config ?? {} };
      out = values.out ?? defaultOut(spec);
      mode = values.overwrite ? "overwrite" : "new";
    }
    if (epochs !== undefined) spec = { ...spec, config: { ...spec.config, train: { ...(spec.config.train ?? {}), epochs } } };
    await validateSpec(spec);
    if (mode !== "resume") checkRunDir(out, mode);

    // 2. The backend, then the run directory is taken (run.json, manifest.json) and training starts.
    const { initBackend, backendLine } = await import("../backend.js");
    const info = await initBackend(backend ? { backend } : {});
    console.error(backendLine(info));
    const { openRunDir } = await import("../nn/runDir.js");
    const { packageVersions } = await import("../versions.js");
    openRunDir(out, mode, spec, { backend: info.name, seed: spec.seed, versions: packageVersions() });
    const { runClassification } = await import("../tasks/classification.js");
    const run = await runClassification({
      task: spec.task as (typeof CLASSIFICATION_TASKS)[number], init: spec.init, frozenA: spec.frozenA, size: spec.size, seed: spec.seed,
      model: spec.config.model, train: spec.config.train, data: spec.config.data,
      run: { outDir: out, resume: mode === "resume", lastCheckpoint, log: (s) => console.error(s) },
    });
    const r = run.result;
    const summary = {
      task: spec.task, init: spec.init, frozenA: spec.frozenA, size: spec.size, seed: spec.seed, backend: info.name, out,
      parameters: run.parameters, bestEpoch: r.best.epoch, valAcc: r.best.valAcc, testAcc: r.test?.acc, testLoss: r.test?.loss,
      epochs: r.history.length, seconds: r.history.reduce((t, h) => t + h.seconds, 0),
    };
    if (values.json) await printJson(summary, 2);
    else console.log(`${spec.task} ${spec.init}${spec.frozenA ? " (frozen A)" : ""}: test accuracy ${summary.testAcc?.toFixed(4)} (best val ${summary.valAcc?.toFixed(4)} at epoch ${summary.bestEpoch}); run in ${out}`);
    return 0;
  },
};

export const evalCommand: Command = {
  name: "eval",
  summary: "evaluate a training run's best checkpoint on a split",
  usage: EVAL_USAGE,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: { run: { type: "string" }, split: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      console.log(EVAL_USAGE);
      return 0;
    }
    if (!values.run) throw new ParameterError("--run", "a run directory written by w4s4 train", undefined);
    const split = requireOneOf("--split", values.split ?? "test", ["test", "val", "train"] as const);
    const spec = readRunSpec<RunSpec>(values.run, "--run");
    const ckPath = join(values.run, RUN_FILES.best);
    const { CheckpointError } = await import("../nn/checkpoint.js");
    if (!existsSync(ckPath)) throw new ParameterError("--run", `a run directory holding ${RUN_FILES.best} (${values.run} has none yet)`, values.run);
    const { SSMModel } = await import("../nn/model.js");
    const { loadBestCheckpoint, loadModelTensors } = await import("../nn/trainState.js");
    const ck = loadBestCheckpoint(ckPath); // verified before the backend or the data load
    if (ck.meta.data !== spec.task) throw new CheckpointError(ckPath, `holds a model trained on ${JSON.stringify(ck.meta.data)}, but ${RUN_FILES.run} says task ${JSON.stringify(spec.task)}`);
    const { initBackend } = await import("../backend.js");
    const info = await initBackend({});
    const { evaluate } = await import("../nn/evaluate.js");
    const { CLASSIFICATION_TASKS, loadTaskData, toTrainData } = await import("../tasks/classification.js");
    const data = await loadTaskData(requireOneOf("task", spec.task, CLASSIFICATION_TASKS), spec.size, spec.seed, spec.config.data ?? {});
    const model = new SSMModel(ck.meta.model);
    loadModelTensors(model, ck.tensors, ckPath);
    const td = toTrainData(data);
    const r = await evaluate(model, td, td[split] ?? td.test!);
    const out = { run: values.run, split, epoch: ck.meta.epoch, backend: info.name, n: data[split].n, loss: r.loss, acc: r.acc };
    if (values.json) await printJson(out, 2);
    else console.log(`${values.run} (best epoch ${out.epoch}) on ${split} (${out.n}): accuracy ${r.acc?.toFixed(4)}, loss ${r.loss.toFixed(4)}`);
    return 0;
  },
};
