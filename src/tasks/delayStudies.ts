// The two studies of W4S4 §4 on top of delayMseAt, with seeds (walrus-math §8.1–§8.2, §10):
//   Study 1 (dtSweep): log-MSE against dt on a log grid for one init; best dt.
//   Study 2 (delaySweep): the delay D varies, dt re-optimised over the grid per (init, D, seed).
// Aggregation over seeds follows walrus-math §10 ("mean best log10 MSE over seeds"): each seed takes
// its own minimum over the grid, then we report mean ± sample std of those minima.
import type { InitName } from "../ssm/registry.js";
import { requireInt } from "../errors.js";
import { delayMseAt, dtGrid, meanStd, resolveSignal, resolveSSM, type DelaySetting } from "./delay.js";
import { subProgress, type Progress } from "../io/progress.js";
import { DEFAULT_RHO } from "./ridge.js";

export interface SweepOptions extends DelaySetting {
  /** Seeds; default [seed ?? 1]. Ignored (one series) when signal is an array. */
  seeds?: number[];
  /** dt values; default dtGrid() (21 log-spaced values in [10^−3.5, 10^−1.5], walrus-math §8.2). */
  grid?: number[];
  /** Called after every (seed, dt) fit. Default none. */
  onProgress?: Progress;
}

export interface CurvePoint {
  dt: number;
  /** Mean over seeds of log10 MSE at this dt. */
  log10mse: number;
  /** Sample std over seeds (0 for one seed). */
  std: number;
  perSeed: number[];
}

export interface DtSweepResult {
  init: string;
  N: number;
  delay: number;
  length: number;
  signal: string;
  seeds: number[];
  curve: CurvePoint[];
  /** argmin over the grid of the seed-mean curve, and its value. */
  bestDt: number;
  bestLog10mse: number;
  /** Per seed: its own best dt and log10 MSE. */
  perSeedBest: { seed: number; dt: number; log10mse: number }[];
  /** Mean ± std over seeds of each seed's best log10 MSE (the walrus-math §10 statistic). */
  best: { mean: number; std: number };
}

function seedsOf(o: SweepOptions): number[] {
  if (o.signal instanceof Float64Array) return [o.seed ?? 1];
  const s = o.seeds ?? [o.seed ?? 1];
  if (!Array.isArray(s) || s.length === 0) throw new RangeError("seeds must be a non-empty array");
  s.forEach((v, i) => requireInt(`seeds[${i}]`, v, 0, 0xffffffff));
  return s;
}

/** Study 1: sweep dt for one init (built once) over seeds. */
export function dtSweep(o: SweepOptions): DtSweepResult {
  const seeds = seedsOf(o);
  const grid = o.grid ?? dtGrid();
  if (grid.length === 0) throw new RangeError("grid must be non-empty");
  const inputs = seeds.map((seed) => resolveSignal({ ...o, seed }));
  const ssm = resolveSSM(o);
  const opts = { disc: o.disc ?? "bilinear", rho: o.rho ?? DEFAULT_RHO, solver: o.solver ?? "svd" };
  const table: number[][] = seeds.map(() => new Array<number>(grid.length));
  const total = seeds.length * grid.length;
  let done = 0;
  seeds.forEach((seed, s) => {
    grid.forEach((dt, g) => {
      table[s][g] = delayMseAt(ssm, inputs[s].u, inputs[s].D, dt, opts).log10mse;
      o.onProgress?.(++done, total, `${ssm.name} N=${ssm.N} seed ${seed} dt ${dt.toExponential(2)}`);
    });
  });
  const curve = grid.map((dt, g) => {
    const perSeed = table.map((r) => r[g]);
    const { mean, std } = meanStd(perSeed);
    return { dt, log10mse: mean, std, perSeed };
  });
  let gi = 0;
  curve.forEach((p, g) => {
    if (p.log10mse < curve[gi].log10mse) gi = g;
  });
  const perSeedBest = seeds.map((seed, s) => {
    let b = 0;
    table[s].forEach((v, g) => {
      if (v < table[s][b]) b = g;
    });
    return { seed, dt: grid[b], log10mse: table[s][b] };
  });
  return {
    init: ssm.name,
    N: ssm.N,
    delay: inputs[0].D,
    length: inputs[0].u.length,
    signal: inputs[0].label,
    seeds,
    curve,
    bestDt: grid[gi],
    bestLog10mse: curve[gi].log10mse,
    perSeedBest,
    best: meanStd(perSeedBest.map((p) => p.log10mse)),
  };
}

export interface DelaySweepOptions extends Omit<SweepOptions, "delay" | "init" | "onProgress"> {
  /** Delays D to try. Default [100, 250, 500, 750, 1000] (walrus-math §10 study 2). */
  delays?: number[];
  /** Inits to compare. Default ["walrus", "legs"]. Ignored when ssm is given. */
  inits?: InitName[];
  onProgress?: Progress;
}

export interface DelaySweepRow {
  init: string;
  N: number;
  delay: number;
  /** Mean ± std over seeds of the per-seed best log10 MSE (dt re-optimised per seed). */
  mean: number;
  std: number;
  /** Median over seeds of the best dt. */
  bestDt: number;
  perSeed: number[];
}

/** Study 2: for every init and delay, dt re-optimised over the grid per seed. */
export function delaySweep(o: DelaySweepOptions): DelaySweepRow[] {
  const delays = o.delays ?? [100, 250, 500, 750, 1000];
  const inits: (InitName | undefined)[] = o.ssm ? [undefined] : o.inits ?? (["walrus", "legs"] as InitName[]);
  const grid = o.grid ?? dtGrid();
  const parts = inits.length * delays.length;
  let part = 0;
  const rows: DelaySweepRow[] = [];
  for (const init of inits) {
    // Build the init once for all delays.
    const ssm = resolveSSM({ ...o, init });
    for (const delay of delays) {
      const r = dtSweep({
        ...o,
        ssm,
        init,
        delay,
        grid,
        onProgress: o.onProgress && subProgress(o.onProgress, part++, parts, `D=${delay} `),
      });
      const dts = r.perSeedBest.map((p) => p.dt).sort((a, b) => a - b);
      rows.push({ init: r.init, N: r.N, delay, mean: r.best.mean, std: r.best.std, bestDt: dts[Math.floor((dts.length - 1) / 2)], perSeed: r.perSeedBest.map((p) => p.log10mse) });
    }
  }
  return rows;
}
