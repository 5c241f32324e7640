// `w4s4 converge`: the WaLRUS grid-convergence table (src/tasks/walrusConvergence.ts).
import { parseArgs } from "node:util";
import { ParameterError } from "../errors.js";
import { progressBar } from "../io/progress.js";
import { initOptions, INIT_FLAGS, INIT_FLAGS_USAGE, intFlag, num } from "./ssmArgs.js";
import { printJson, writeOut } from "./output.js";
import type { Command } from "./types.js";
import { isWalrusInit } from "../ssm/registry.js";
import { CONVERGENCE_DEFAULTS, walrusGridConvergence } from "../tasks/walrusConvergence.js";

export const command: Command = {
  name: "converge",
  summary: "WaLRUS grid convergence: spectrum, cond(V), transfer function and delay MSE as G doubles",
  usage: `w4s4 converge walrus|walrus-translated --N <n> [--grid-start G] [--grid-max G] [--tol t] [--json]

Builds WaLRUS at G = grid-start, 2·grid-start, … and prints, per doubling, the largest relative change
of the nontrivial spectrum, cond₂(V), Bᵀ(sI − A)⁻¹B at s = 1, 10, 100 and the delay-task MSE (AR(1),
L = 2000, D = 500, dt = 10^-2.5). Stops at the first doubling below --tol; the converged grid is the
smaller of the two. The grid is set by the study: --grid is refused.
${INIT_FLAGS_USAGE.split("\n").filter((l) => !/--(grid|theta)\b/.test(l)).join("\n")}
  --grid-start <G>      first grid (default max(1024, the default grid of N / 4): 1024 up to N = 64)
  --grid-max <G>        largest grid tried, at most 1048576 (default ${CONVERGENCE_DEFAULTS.gridMax})
  --tol <t>             relative change that counts as converged (default ${CONVERGENCE_DEFAULTS.tol})
  --json                the full table as JSON`,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { ...INIT_FLAGS, "grid-start": { type: "string" }, "grid-max": { type: "string" }, tol: { type: "string" }, json: { type: "boolean" } },
    });
    const name = positionals[0];
    if (!isWalrusInit(String(name))) throw new ParameterError("init", "walrus or walrus-translated", name);
    const refused = { grid: "not given (use --grid-start / --grid-max)", theta: "not given (it is LegT's window)" };
    for (const [flag, why] of Object.entries(refused)) {
      const v = (values as Record<string, unknown>)[flag];
      if (v !== undefined) throw new ParameterError(`--${flag}`, why, v);
    }
    const { grid: _g, theta: _t, ...o } = initOptions(values);
    const gridStart = values["grid-start"] === undefined ? undefined : intFlag("grid-start", values["grid-start"] as string, 16, 1 << 20);
    const gridMax = values["grid-max"] === undefined ? undefined : intFlag("grid-max", values["grid-max"] as string, 16, 1 << 20);
    const tol = num("tol", values.tol as string | undefined);
    if (gridStart !== undefined && gridMax !== undefined && gridMax < gridStart) throw new ParameterError("--grid-max", `at least --grid-start (${gridStart})`, gridMax);
    const r = walrusGridConvergence({ ...o, measure: name === "walrus" ? "scaled" : "translated", gridStart, gridMax, tol, onProgress: progressBar() });
    if (values.json) {
      await printJson(r);
      return 0;
    }
    const e = (x: number | undefined) => (x === undefined ? "—" : x.toExponential(1));
    const lines = [
      `${name} N = ${r.N}: relative change against the previous grid (tol ${r.tol})`,
      "      G   N_f  s_min   min|λ|     max|λ|   cond(V)   Δspectrum  Δcond(V)  Δtransfer  Δdelay MSE  seconds",
      ...r.rows.map((x) => `${String(x.G).padStart(7)} ${String(x.Nf).padStart(5)} ${String(x.sMin).padStart(5)} ${x.minAbs.toFixed(5).padStart(9)} ${x.maxAbs.toFixed(3).padStart(10)} ${x.condV.toFixed(2).padStart(9)}   ${e(x.change?.spectrum).padStart(8)}  ${e(x.change?.condV).padStart(8)}  ${e(x.change?.transfer).padStart(8)}  ${e(x.change?.delay).padStart(9)}  ${x.seconds.toFixed(1).padStart(7)}`),
      r.convergedG === null ? `not converged to ${r.tol} by G = ${r.rows.at(-1)!.G} (raise --grid-max)` : `converged: G = ${r.convergedG} is within ${r.tol} of G = ${2 * r.convergedG}`,
    ];
    await writeOut(lines.join("\n") + "\n");
    return 0;
  },
};
