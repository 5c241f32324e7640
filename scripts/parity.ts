// npm run parity -- --task fmnist|text|keywords [--size small|default] [--seeds 2] [--inits a,b] [--out DIR] [--overwrite]
// Our trainer against a PyTorch reference (bench/torch_train.py) on the same recipe. For every
// contender the paper run trains (contendersFor) and every seed, we build our model, export its
// initial parameters, the data and each epoch's batch order, train ours, then the reference from
// the same start on the same batches. Prints the side-by-side table and the acceptance line (mean test
// accuracy over seeds within 2 points of the reference at default size, 3 at small; each step's loss
// within the seed-to-seed spread of the reference, and, without dropout, within 1e-3 of it: the same
// trajectory), and writes parity.json plus a loss-curve chart
// (SVG + PNG) to the run folder (default out/parity/<task>-<size>; an existing run needs --overwrite).
// Without PyTorch (W4S4_TORCH_PYTHON, default /usr/bin/python3) the reference side is skipped and
// the run says so; the exit status is then 0 with "reference: skipped".
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { initBackend, backendLine } from "../src/backend.js";
import { ParameterError, requireInt, requireOneOf } from "../src/errors.js";
import { epochPermutation } from "../src/nn/batches.js";
import { SSMModel } from "../src/nn/model.js";
import { epochSteps, resolveTrainConfig } from "../src/nn/trainConfig.js";
import { train } from "../src/nn/trainer.js";
import { checkRunDir, openRunDir } from "../src/nn/runDir.js";
import { writeNpy } from "../src/cli/npy.js";
import { writeFileAtomic } from "../src/io/atomic.js";
import { projectRoot } from "../src/paths.js";
import { classificationModel, CONTENDERS, contendersFor, loadTaskData, PRESETS, toTrainData } from "../src/tasks/classification.js";
import { parityDir } from "../src/tasks/parityReference.js";
import { lineChart } from "../src/viz/basicCharts.js";
import { saveChart } from "../src/viz/chart.js";

const TASKS = ["fmnist", "text", "keywords"] as const;
const SIZES = ["small", "default"] as const;
/** Acceptance: |mean test accuracy ours − reference| in points, per size (issue 13). */
const TOLERANCE_POINTS = { small: 3, default: 2 } as const;
/**
 * With dropout 0 both trainers run the same computation from the same start on the same batches, the
 * reference in float64: every step's loss must then agree to float32 rounding, grown over the run.
 * (The seed-spread test alone passed a zero embedding gradient on wasm: gap 1.8e-2, spread 5.5e-2.)
 */
const TRAJECTORY_TOLERANCE = 1e-3;
const TORCH_PYTHON = process.env.W4S4_TORCH_PYTHON ?? "/usr/bin/python3";

interface Side {
  testAcc: number;
  testLoss: number;
  finalTrainLoss: number;
  stepLosses: number[];
  seconds: number;
}

async function exportRecipe(dir: string, model: SSMModel, data: ReturnType<typeof toTrainData>, trainCfg: ReturnType<typeof resolveTrainConfig>, stepsPerEpoch: number): Promise<void> {
  mkdirSync(join(dir, "params"), { recursive: true });
  const named = model.namedVariables();
  const params = await Promise.all(
    named.map(async (v, i) => {
      writeNpy(join(dir, "params", `${String(i).padStart(3, "0")}.npy`), Float64Array.from(await v.variable.data()), v.variable.shape);
      return { name: v.name, shape: v.variable.shape, group: v.group, trainable: v.variable.trainable };
    }),
  );
  const modeWeights = await Promise.all(model.layers.map(async (l) => Array.from(await l.kernel.weight.data())));
  const L = data.length, d = data.input.kind === "real" ? data.input.dInput : 0;
  for (const [name, s] of Object.entries({ train: data.train, val: data.val, test: data.test! })) {
    writeNpy(join(dir, `${name}_x.npy`), Float64Array.from(s.x), d ? [s.n, L, d] : [s.n, L]);
    writeNpy(join(dir, `${name}_y.npy`), Float64Array.from(s.y), [s.n]);
  }
  const n = data.train.n, perm = new Float64Array(trainCfg.epochs * n);
  for (let e = 0; e < trainCfg.epochs; e++) perm.set(epochPermutation(n, trainCfg.seed, e), e * n);
  writeNpy(join(dir, "perm.npy"), perm, [trainCfg.epochs, n]);
  writeFileAtomic(join(dir, "recipe.json"), JSON.stringify({ model: model.config, train: trainCfg, stepsPerEpoch, params, modeWeights }, null, 2) + "\n");
}

function runReference(dir: string): Side & { torch: string; dtype: string; device: string } {
  const r = spawnSync(TORCH_PYTHON, [join(projectRoot(), "bench/torch_train.py"), dir], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`bench/torch_train.py failed (${r.status}) on ${dir}: ${(r.stderr || String(r.error)).trim().split("\n").slice(-3).join(" | ")}`);
  const o = JSON.parse(r.stdout.trim().split("\n").pop()!) as { torch: string; dtype: string; device: string; history: { trainLoss: number }[]; test: { loss: number; acc: number }; stepLosses: number[]; seconds: number };
  return { torch: `${o.torch} ${o.device} ${o.dtype}`, dtype: o.dtype, device: o.device, testAcc: o.test.acc, testLoss: o.test.loss, finalTrainLoss: o.history[o.history.length - 1].trainLoss, stepLosses: o.stepLosses, seconds: o.seconds };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      task: { type: "string", default: "fmnist" },
      size: { type: "string", default: "small" },
      seeds: { type: "string", default: "2" },
      inits: { type: "string" },
      out: { type: "string" },
      overwrite: { type: "boolean" },
    },
  });
  const task = requireOneOf("--task", values.task, TASKS);
  const size = requireOneOf("--size", values.size, SIZES);
  const nSeeds = requireInt("--seeds", Number(values.seeds), 1, 10);
  const all = contendersFor(task, size);
  const inits = values.inits ? values.inits.split(",") : all.map((c) => c.init);
  const contenders = inits.map((i) => CONTENDERS.find((c) => c.init === i) ?? (() => { throw new ParameterError("--inits", `names among ${CONTENDERS.map((c) => c.init).join(", ")}`, i); })());
  const out = values.out ?? parityDir(task, size);
  const mode = values.overwrite ? "overwrite" : "new";
  checkRunDir(out, mode);
  const haveTorch = spawnSync(TORCH_PYTHON, ["-c", "import torch"]).status === 0;
  const info = await initBackend();
  openRunDir(out, mode, { kind: "parity", task, size, seeds: nSeeds, inits }, { backend: backendLine(info) });
  console.error(`==> parity ${task} (${size}): ${contenders.map((c) => c.init).join(", ")} × ${nSeeds} seeds; ours on ${backendLine(info)}`);
  if (!haveTorch) console.error(`==> reference: skipped (PyTorch is not importable from ${TORCH_PYTHON}; \`apt-get install python3-torch\`, or set W4S4_TORCH_PYTHON)`);

  const preset = PRESETS[task][size];
  const rows: { init: string; seed: number; ours: Side; ref?: Side }[] = [];
  let torchVersion: string | undefined;
  for (const seed of Array.from({ length: nSeeds }, (_, i) => i)) {
    const dataset = await loadTaskData(task, size, seed);
    const data = toTrainData(dataset);
    for (const c of contenders) {
      const model = classificationModel(task, size, dataset, c.init, c.trainableA, seed);
      const tc = resolveTrainConfig({ ...preset.train, seed });
      const spe = epochSteps(data.train.n, tc);
      const dir = join(out, `${c.init}-seed${seed}`);
      await exportRecipe(dir, model, data, tc, spe);
      const stepLosses: number[] = [];
      const t0 = performance.now();
      const r = await train(model, data, tc, { progress: false, log: () => {}, onStep: (_s, l) => stepLosses.push(l) });
      const ours: Side = { testAcc: r.test!.acc!, testLoss: r.test!.loss, finalTrainLoss: r.history[r.history.length - 1].trainLoss, stepLosses, seconds: (performance.now() - t0) / 1000 };
      let ref: Side | undefined;
      if (haveTorch) {
        const o = runReference(dir);
        torchVersion = o.torch;
        ref = o;
      }
      rows.push({ init: c.init, seed, ours, ref });
      console.error(`  ${c.init} seed ${seed}: test acc ours ${(100 * ours.testAcc).toFixed(1)} %${ref ? ` | reference ${(100 * ref.testAcc).toFixed(1)} %` : ""} (${ours.seconds.toFixed(1)} s${ref ? ` | ${ref.seconds.toFixed(1)} s` : ""})`);
    }
  }

  // Acceptance per contender: accuracy within tolerance; every step's loss gap within the reference's seed spread.
  const tol = TOLERANCE_POINTS[size];
  const summary = contenders.map((c) => {
    const rs = rows.filter((r) => r.init === c.init);
    const oursAcc = 100 * mean(rs.map((r) => r.ours.testAcc));
    if (!haveTorch) return { init: c.init, oursAcc, refAcc: null, gapPoints: null, maxLossGap: null, seedSpread: null, trajectoryTolerance: null, ok: null };
    const refAcc = 100 * mean(rs.map((r) => r.ref!.testAcc));
    const steps = rs[0].ours.stepLosses.length;
    let maxLossGap = 0, seedSpread = 0;
    for (let s = 0; s < steps; s++) {
      for (const r of rs) maxLossGap = Math.max(maxLossGap, Math.abs(r.ours.stepLosses[s] - r.ref!.stepLosses[s]));
      const refs = rs.map((r) => r.ref!.stepLosses[s]);
      seedSpread = Math.max(seedSpread, Math.max(...refs) - Math.min(...refs));
    }
    const exact = preset.model.dropout === 0;
    const trajectoryOk = !exact || maxLossGap <= TRAJECTORY_TOLERANCE;
    const ok = Math.abs(oursAcc - refAcc) <= tol && (rs.length < 2 || maxLossGap <= seedSpread) && trajectoryOk;
    return { init: c.init, oursAcc, refAcc, gapPoints: oursAcc - refAcc, maxLossGap, seedSpread, trajectoryTolerance: exact ? TRAJECTORY_TOLERANCE : null, ok };
  });

  console.log(`parity ${task} (${size}), ${nSeeds} seeds; ours: ${backendLine(info)}; reference: ${haveTorch ? `PyTorch ${torchVersion} (bench/torch_train.py)` : "skipped (no PyTorch)"}`);
  console.log("init          seed  test acc ours  test acc ref  final loss ours  final loss ref");
  for (const r of rows) {
    console.log(`${r.init.padEnd(13)} ${String(r.seed).padStart(4)}  ${(100 * r.ours.testAcc).toFixed(2).padStart(12)}%  ${r.ref ? (100 * r.ref.testAcc).toFixed(2).padStart(11) + "%" : "           —"}  ${r.ours.finalTrainLoss.toFixed(5).padStart(15)}  ${r.ref ? r.ref.finalTrainLoss.toFixed(5).padStart(14) : "             —"}`);
  }
  for (const s of summary) {
    console.log(s.ok === null
      ? `${s.init}: mean test acc ours ${s.oursAcc.toFixed(2)} % (reference skipped)`
      : `${s.init}: mean test acc ours ${s.oursAcc.toFixed(2)} % vs reference ${s.refAcc!.toFixed(2)} % (gap ${s.gapPoints!.toFixed(2)} points, tolerance ${tol}); max step-loss gap ${s.maxLossGap!.toExponential(2)} vs reference seed spread ${s.seedSpread!.toExponential(2)}${s.trajectoryTolerance === null ? " (dropout > 0: masks differ, no trajectory test)" : ` and the same-trajectory tolerance ${s.trajectoryTolerance.toExponential(0)}`} — ${s.ok ? "PASS" : "FAIL"}`);
  }

  const curve = rows.flatMap((r) => [
    // The reference first, solid; ours dashed on top in the seed's colour (where they coincide, the dashes lie on the line).
    ...(r.ref ? r.ref.stepLosses.map((loss, step) => ({ step: step + 1, loss, seed: `seed ${r.seed}`, trainer: "PyTorch reference", init: r.init })) : []),
    ...r.ours.stepLosses.map((loss, step) => ({ step: step + 1, loss, seed: `seed ${r.seed}`, trainer: "ours", init: r.init })),
  ]);
  const charts = await saveChart(lineChart(curve, { x: "step", y: "loss", color: "seed", dash: "trainer", facet: "init", title: `Training loss per step, ours (dashed) vs PyTorch reference (solid) (${task}, ${size})${haveTorch ? `; largest gap ${Math.max(...summary.map((s) => s.maxLossGap ?? 0)).toExponential(1)}: below ~1e-3 they draw as one line` : ""}`, xTitle: "optimizer step", yTitle: "batch loss", xInteger: true }), join(out, "loss-curves"), { png: true });
  writeFileAtomic(join(out, "parity.json"), JSON.stringify({ task, size, seeds: nSeeds, backend: backendLine(info), torch: torchVersion ?? null, tolerancePoints: tol, rows, summary, charts }, null, 2) + "\n");
  console.log(`wrote ${join(out, "parity.json")} and ${charts.join(", ")}`);
  return summary.every((s) => s.ok !== false) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(e instanceof ParameterError ? 2 : 1);
  },
);
