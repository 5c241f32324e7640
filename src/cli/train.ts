// `w4s4 train` and `w4s4 eval`: classification with an init from the registry on a data set, on the
// best backend available; checkpoints, metrics and config in --out; --resume continues a killed run.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ParameterError, requireInt, requireOneOf } from "../errors.js";
import { SIZES } from "../notebookSize.js";
import { INIT_NAMES, type InitName } from "../ssm/registry.js";
import type { Command } from "./types.js";

const TRAIN_USAGE = `w4s4 train --task <name> --init <name> [--frozen-a] [--size small|default|full]
            [--config file.json] [--out DIR] [--resume DIR] [--seed S] [--epochs E] [--backend NAME] [--json]

Train a deep SSM classifier (state-spaces/s4 example.py recipe; W4S4 = --init walrus --frozen-a).
  --task     fmnist | mnist | keywords | text | listops
  --init     ${INIT_NAMES.join(" | ")}
  --frozen-a keep A (Λ) at its init, the W4S4 setting (default: trainable)
  --size     preset of data/model/epochs (default "default"; "small" = seconds, "full" = example.py)
  --config   JSON {"model": {...}, "train": {...}, "data": {...}} merged over the preset
             (model: dModel nLayers dState dropout prenorm norm pooling disc bidirectional dtMin dtMax;
              train: epochs batchSize lr weightDecay ssmLr warmupSteps minLrScale gradClip checkpointEvery)
  --out      run directory (default out/runs/<task>-<init>[-frozen]-<size>-s<seed>)
  --resume   continue the run in DIR from its last checkpoint (same config; --epochs may grow)
  --seed     data split, init and training seed (default 0)     --epochs  override the preset
  --backend  force tensorflow | wasm | cpu | webgpu (default: best available)
  --json     print the result as JSON
Writes DIR/config.json, last.ckpt, best.ckpt, metrics.jsonl, metrics.csv, test.json.`;

const EVAL_USAGE = `w4s4 eval --run DIR [--split test|val|train] [--json]

Evaluate the best checkpoint of a finished (or interrupted) run on a split of its data set.`;

function fail(e: unknown, cmd: string): number {
  const msg = e instanceof Error ? e.message : String(e);
  const bad = e instanceof ParameterError || (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS");
  console.error(bad ? `${msg}\nusage: w4s4 ${cmd} --help` : msg);
  return bad ? 2 : 1;
}

function readJson(path: string, what: string): Record<string, unknown> {
  if (!existsSync(path)) throw new ParameterError(what, "an existing JSON file", path);
  try {
    return JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new ParameterError(what, "valid JSON", `${path}: ${(e as Error).message}`);
  }
}

export const command: Command = {
  name: "train",
  summary: "train a deep SSM classifier (W4S4 or an S4D init) with checkpoints and resume",
  usage: TRAIN_USAGE,
  async run(argv) {
    try {
      const { values } = parseArgs({
        args: argv,
        options: {
          task: { type: "string" }, init: { type: "string" }, "frozen-a": { type: "boolean" }, size: { type: "string" },
          config: { type: "string" }, out: { type: "string" }, resume: { type: "string" }, seed: { type: "string" },
          epochs: { type: "string" }, backend: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" },
        },
      });
      if (values.help) {
        console.log(TRAIN_USAGE);
        return 0;
      }
      const { CLASSIFICATION_TASKS, runClassification } = await import("../tasks/classification.js");
      let cfg: Record<string, unknown> = {};
      let task = values.task, init = values.init, frozen = values["frozen-a"] ?? false, size = values.size ?? "default";
      let seed = values.seed === undefined ? 0 : requireInt("seed", Number(values.seed), 0);
      let out = values.out;
      if (values.resume) {
        // The run directory remembers what it was: task, init, size, seed and the merged config.
        const saved = readJson(join(values.resume, "cli.json"), "resume");
        task ??= saved.task as string;
        init ??= saved.init as string;
        frozen = values["frozen-a"] ?? (saved.frozenA as boolean);
        size = values.size ?? (saved.size as string);
        if (values.seed === undefined) seed = saved.seed as number;
        cfg = (saved.config as Record<string, unknown>) ?? {};
        out = values.resume;
      }
      if (!task) throw new ParameterError("task", CLASSIFICATION_TASKS.join(" | "), undefined);
      requireOneOf("task", task, CLASSIFICATION_TASKS);
      if (!init) throw new ParameterError("init", INIT_NAMES.join(" | "), undefined);
      requireOneOf("init", init, INIT_NAMES);
      requireOneOf("size", size, SIZES);
      if (values.config) cfg = readJson(values.config, "config");
      for (const k of Object.keys(cfg)) requireOneOf("config key", k, ["model", "train", "data"] as const);
      const trainCfg = { ...((cfg.train as object) ?? {}) } as Record<string, unknown>;
      if (values.epochs !== undefined) trainCfg.epochs = requireInt("epochs", Number(values.epochs), 1);
      out ??= join("out", "runs", `${task}-${init}${frozen ? "-frozen" : ""}-${size}-s${seed}`);

      const { initBackend, backendLine } = await import("../backend.js");
      const info = await initBackend(values.backend ? { backend: values.backend as never } : {});
      console.error(backendLine(info));
      const { writeFileAtomic } = await import("../io/atomic.js");
      writeFileAtomic(join(out, "cli.json"), JSON.stringify({ task, init, frozenA: frozen, size, seed, config: { ...cfg, train: trainCfg } }, null, 2) + "\n");
      const run = await runClassification({
        task: task as never, init: init as InitName, frozenA: frozen, size: size as never, seed,
        model: cfg.model as never, train: trainCfg as never, data: cfg.data as never,
        run: { outDir: out, resume: values.resume !== undefined, log: (s) => console.error(s) },
      });
      const r = run.result;
      const summary = {
        task, init, frozenA: frozen, size, seed, backend: info.name, out,
        parameters: run.parameters, bestEpoch: r.best.epoch, valAcc: r.best.valAcc, testAcc: r.test?.acc, testLoss: r.test?.loss,
        epochs: r.history.length, seconds: r.history.reduce((s, h) => s + h.seconds, 0),
      };
      if (values.json) console.log(JSON.stringify(summary, null, 2));
      else console.log(`${task} ${init}${frozen ? " (frozen A)" : ""}: test accuracy ${summary.testAcc?.toFixed(4)} (best val ${summary.valAcc?.toFixed(4)} at epoch ${summary.bestEpoch}); run in ${out}`);
      return 0;
    } catch (e) {
      return fail(e, "train");
    }
  },
};

export const evalCommand: Command = {
  name: "eval",
  summary: "evaluate a training run's best checkpoint on a split",
  usage: EVAL_USAGE,
  async run(argv) {
    try {
      const { values } = parseArgs({
        args: argv,
        options: { run: { type: "string" }, split: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      });
      if (values.help) {
        console.log(EVAL_USAGE);
        return 0;
      }
      if (!values.run) throw new ParameterError("run", "a run directory written by w4s4 train", undefined);
      const split = requireOneOf("split", values.split ?? "test", ["test", "val", "train"] as const);
      const saved = readJson(join(values.run, "cli.json"), "run");
      const ckPath = join(values.run, "best.ckpt");
      const { initBackend } = await import("../backend.js");
      const info = await initBackend({});
      const { loadCheckpoint } = await import("../nn/checkpoint.js");
      const { SSMModel } = await import("../nn/model.js");
      const { evaluate, loadModelTensors } = await import("../nn/trainer.js");
      const { loadTaskData, toTrainData } = await import("../tasks/classification.js");
      const ck = loadCheckpoint<{ epoch: number; model: ConstructorParameters<typeof SSMModel>[0] }>(ckPath);
      const data = await loadTaskData(saved.task as never, saved.size as never, saved.seed as number, ((saved.config as Record<string, unknown>)?.data as Record<string, unknown>) ?? {});
      const model = new SSMModel(ck.meta.model);
      loadModelTensors(model, ck.tensors, ckPath);
      const td = toTrainData(data);
      const r = evaluate(model, td, td[split] ?? td.test!);
      const out = { run: values.run, split, epoch: ck.meta.epoch, backend: info.name, n: data[split].n, loss: r.loss, acc: r.acc };
      if (values.json) console.log(JSON.stringify(out, null, 2));
      else console.log(`${values.run} (best epoch ${out.epoch}) on ${split} (${out.n}): accuracy ${r.acc?.toFixed(4)}, loss ${r.loss.toFixed(4)}`);
      return 0;
    } catch (e) {
      return fail(e, "eval");
    }
  },
};
