// Flags shared by the commands that build an init: --N and the WaLRUS knobs.
import { ParameterError, requireInt } from "../errors.js";
import type { InitOptions } from "../ssm/registry.js";

export const INIT_FLAGS = {
  N: { type: "string" },
  wavelet: { type: "string" },
  "s-min": { type: "string" },
  "s-max": { type: "string" },
  eta: { type: "string" },
  grid: { type: "string" },
  "natural-rank": { type: "boolean" },
} as const;

export const INIT_FLAGS_USAGE = `  --N <n>               state size (required)
  --wavelet <dbK>       WaLRUS wavelet, db1..db20 (default db11)
  --s-min <s>           WaLRUS finest scale (default: the largest with natural rank >= N)
  --s-max <s>           WaLRUS coarsest scale (default 3)
  --eta <η>             WaLRUS shift step fraction (default 0.01)
  --grid <G>            WaLRUS frame grid size (default 2048)
  --natural-rank        WaLRUS: the authors' rcond = 0.01 rank instead of rank-N truncation`;

/** A number from a flag value, or a ParameterError naming the flag. */
export function num(flag: string, v: string | undefined, required = false): number | undefined {
  if (v === undefined) {
    if (required) throw new ParameterError(`--${flag}`, "a number (required)", undefined);
    return undefined;
  }
  const x = Number(v);
  if (v.trim() === "" || !Number.isFinite(x)) throw new ParameterError(`--${flag}`, "a finite number", v);
  return x;
}

/** An integer flag in [min, max]; `--seed ''` is an error, not seed 0. */
export function intFlag(flag: string, v: string | undefined, min: number, max: number, fallback?: number): number {
  const x = num(flag, v, fallback === undefined);
  return requireInt(`--${flag}`, x ?? fallback, min, max);
}

export function initOptions(values: Record<string, string | boolean | undefined>): InitOptions {
  return {
    N: num("N", values.N as string | undefined, true)!,
    wavelet: values.wavelet as string | undefined,
    sMin: num("s-min", values["s-min"] as string | undefined),
    sMax: num("s-max", values["s-max"] as string | undefined),
    eta: num("eta", values.eta as string | undefined),
    grid: num("grid", values.grid as string | undefined),
    naturalRank: values["natural-rank"] === true ? true : undefined,
  };
}
