// `w4s4 delay`: the delay-reconstruction task of W4S4 §4 at one dt or over a dt grid
// (protocol: walrus-math §8.2). Prints JSON with --json; a progress bar goes to stderr on sweeps.
import { parseArgs } from "node:util";
import { ParameterError, requireFinite, requireInt, requireOneOf } from "../errors.js";
import { DELAY_LIMITS, delayMseAt, DISCRETIZATIONS, dtGrid, resolveSignal, resolveSSM } from "../tasks/delay.js";
import { DEFAULT_RHO, RIDGE_SOLVERS } from "../tasks/ridge.js";
import type { Command } from "./types.js";
import { progressBar } from "../io/progress.js";
import { requireInitName, requireStateSize } from "../ssm/registry.js";
import { printJson } from "./output.js";
import { requireOutputFile } from "./outPaths.js";
import { num } from "./ssmArgs.js";


export { progressBar };

const USAGE = `w4s4 delay [--init <name>] [--N <n>] [--signal <spec>] [--seed <s>] [--length <L>] [--delay <D>]
            [--dt <dt> | --dt-grid <lo>,<hi>,<count>] [--disc bilinear|zoh] [--solver svd|cholesky]
            [--rho <rho>] [--json] [--csv <file>] [--svg <file>] [--quiet]

The delay task of W4S4 §4 (walrus-math §8.2): drive the init's SSM, discretised at step dt, with a
unit-RMS seeded signal of length L, fit the ridge-optimal readout C to y_k = u_{k−D}, report log10 MSE.

  --init     registry init name (default walrus)           --N       state size (default 64)
  --signal   white | ar1 | ar1:<a> | bandlimited:<kmax> | a registered dataset (default ar1)
  --seed     PRNG seed (default 1)                         --length  L, 2..200000 (default 2000; length × N <= 2^24)
  --delay    D, 0 <= D < L (default 500)
  --dt       one step size > 0; or
  --dt-grid  lo,hi,count: count (<= 1000) log-spaced values (default when neither is given: 3.162e-4,3.162e-2,21)
  --disc     bilinear (default) | zoh                      --solver  svd (default) | cholesky
  --rho      relative ridge, lambda = rho·sigma_max(X)^2 (default 1e-10; 0 = plain optimum)
  --json     print JSON: {log10mse, mse, ...} at one dt; {bestDt, log10mse, curve: [{dt, log10mse}]} on a grid
  --csv      write the curve (or the single point) as CSV   --svg  write the log-MSE vs dt chart as SVG
  --quiet    no progress bar
Exit code 2 on bad input, with a message naming the parameter.`;

/** "lo,hi,count" → the three numbers, validated. */
export function parseDtGrid(s: string): { lo: number; hi: number; count: number } {
  const parts = s.split(",");
  if (parts.length !== 3) throw new ParameterError("dt-grid", "lo,hi,count with 0 < lo <= hi and count an integer >= 1", s);
  const [lo, hi, count] = parts.map((p) => Number(p));
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi) || !Number.isInteger(count) || count < 1 || count > DELAY_LIMITS.gridCount) {
    throw new ParameterError("dt-grid", `lo,hi,count with 0 < lo <= hi and count an integer in [1, ${DELAY_LIMITS.gridCount}]`, s);
  }
  return { lo, hi, count };
}

export const command: Command = {
  name: "delay",
  summary: "delay-reconstruction task (W4S4 §4): optimal-readout log10 MSE at a dt or over a dt grid",
  usage: USAGE,
  async run(argv) {
    {
      const { values } = parseArgs({
        args: argv,
        options: {
          init: { type: "string" },
          N: { type: "string" },
          signal: { type: "string" },
          seed: { type: "string" },
          length: { type: "string" },
          delay: { type: "string" },
          dt: { type: "string" },
          "dt-grid": { type: "string" },
          disc: { type: "string" },
          solver: { type: "string" },
          rho: { type: "string" },
          json: { type: "boolean" },
          csv: { type: "string" },
          svg: { type: "string" },
          quiet: { type: "boolean" },
          help: { type: "boolean", short: "h" },
        },
      });
      if (values.help) {
        console.log(USAGE);
        return 0;
      }
      // Validate every argument before building anything (a WaLRUS construction takes a moment).
      // Charts and CSV load vega/danfo lazily, only when asked for.
      const init = requireInitName(values.init ?? "walrus");
      const N = values.N === undefined ? 64 : requireStateSize(init, num("N", values.N));
      const seed = values.seed === undefined ? 1 : requireInt("seed", num("seed", values.seed), 0, 0xffffffff);
      const length = values.length === undefined ? 2000 : requireInt("length", num("length", values.length), 2, DELAY_LIMITS.length);
      if (length * N > DELAY_LIMITS.statesTimesLength) throw new ParameterError("length", `length × N <= ${DELAY_LIMITS.statesTimesLength} (N = ${N}: length <= ${Math.floor(DELAY_LIMITS.statesTimesLength / N)})`, length);
      const delay = values.delay === undefined ? 500 : num("delay", values.delay)!;
      if (!Number.isInteger(delay) || delay < 0 || delay >= length) {
        throw new ParameterError("delay", `an integer in [0, ${length - 1}] (0 <= D < length ${length})`, values.delay ?? delay);
      }
      if (values.dt !== undefined && values["dt-grid"] !== undefined) {
        throw new ParameterError("dt", "either --dt or --dt-grid, not both", `${values.dt} and ${values["dt-grid"]}`);
      }
      const dt = values.dt === undefined ? undefined : requireFinite("dt", num("dt", values.dt), { min: 0, exclusiveMin: true });
      const rho = values.rho === undefined ? undefined : requireFinite("rho", num("rho", values.rho), { min: 0 });
      const disc = requireOneOf("disc", values.disc ?? "bilinear", DISCRETIZATIONS);
      const solver = requireOneOf("solver", values.solver ?? "svd", RIDGE_SOLVERS);
      const g = values["dt-grid"] !== undefined ? parseDtGrid(values["dt-grid"]) : undefined;
      const grid = dt !== undefined ? [dt] : g ? dtGrid(g.lo, g.hi, g.count) : dtGrid();
      if (values.csv !== undefined) requireOutputFile("csv", values.csv);
      if (values.svg !== undefined) requireOutputFile("svg", values.svg);
      const signal = values.signal ?? "ar1";
      const { u, D } = resolveSignal({ signal, seed, length, delay });
      const ssm = resolveSSM({ init, N });

      const progress = !values.quiet && grid.length > 1 ? progressBar() : undefined;
      const opts = { disc, rho, solver };
      const results = grid.map((t, i) => {
        const r = delayMseAt(ssm, u, D, t, opts);
        progress?.(i + 1, grid.length, `dt ${t.toExponential(2)} log10 MSE ${r.log10mse.toFixed(4)}`);
        return r;
      });
      let best = results[0];
      for (const r of results) if (r.log10mse < best.log10mse) best = r;
      const common = { init, N: ssm.N, signal, seed, length, delay: D, disc, solver, rho: rho ?? DEFAULT_RHO };
      const curve = results.map((r) => ({ dt: r.dt, log10mse: r.log10mse }));
      const out =
        dt !== undefined
          ? { ...common, dt, log10mse: best.log10mse, mse: best.mse, C: Array.from(best.C) }
          : { ...common, bestDt: best.dt, log10mse: best.log10mse, mse: best.mse, curve };
      if (values.csv) {
        const { saveTableCsv } = await import("../viz/table.js");
        saveTableCsv(curve.map((p) => ({ init, N: ssm.N, signal, seed, length, delay: D, disc, dt: p.dt, log10mse: p.log10mse })), values.csv);
      }
      if (values.svg) {
        const { saveChart } = await import("../viz/chart.js");
        const { dtCurveChart } = await import("../viz/delayCharts.js");
        const spec = dtCurveChart(curve.map((p) => ({ ...p, init: `${init} N=${ssm.N}` })), `Delay task: ${signal}, D = ${D}, L = ${length}`);
        await saveChart(spec, values.svg.replace(/\.svg$/i, ""), { png: false });
      }
      if (values.json) await printJson(out, 2);
      else if (dt !== undefined) console.log(`${init} N=${ssm.N} ${signal} seed ${seed} L=${length} D=${D} dt=${dt} (${disc}): log10 MSE = ${best.log10mse.toFixed(4)}`);
      else {
        for (const p of curve) console.log(`dt ${p.dt.toExponential(3)}  log10 MSE ${p.log10mse.toFixed(4)}`);
        console.log(`best dt ${best.dt.toExponential(3)}: log10 MSE = ${best.log10mse.toFixed(4)} (${init} N=${ssm.N} ${signal} seed ${seed} L=${length} D=${D}, ${disc})`);
      }
      return 0;
    }
  },
};
