// Flags shared by the commands that build an init: --N and the WaLRUS knobs.
import { ParameterError, requireInt } from "../errors.js";
import type { InitKnobs, InitOptions } from "../ssm/registry.js";
import { LEFT_POINT_GRID, WALRUS_GRID_BY_N, WALRUS_RCOND } from "../ssm/walrus.js";
import { WAVELET_FRAME_DEFAULTS } from "../frames/waveletFrame.js";
import { QUADRATURE_RULES } from "../frames/quadrature.js";

/**
 * One flag per init knob (WaLRUS's and LegT's). The mapped type makes this table fail to compile when
 * InitKnobs gains or loses a knob, so the CLI cannot drift from the library; defaults come from it.
 */
const KNOB_FLAGS: { [K in keyof Required<InitKnobs>]: { flag: string; arg?: string; text?: true; help: string } } = {
  wavelet: { flag: "wavelet", arg: "<dbK>", text: true, help: `WaLRUS wavelet, db1..db20 (default ${WAVELET_FRAME_DEFAULTS.wavelet})` },
  sMin: { flag: "s-min", arg: "<s>", help: "WaLRUS finest scale (default: the largest with natural rank >= N)" },
  sMax: { flag: "s-max", arg: "<s>", help: `WaLRUS coarsest scale (default ${WAVELET_FRAME_DEFAULTS.sMax})` },
  eta: { flag: "eta", arg: "<η>", help: `WaLRUS shift step fraction (default ${WAVELET_FRAME_DEFAULTS.eta})` },
  grid: { flag: "grid", arg: "<G>", help: `WaLRUS frame grid intervals (default: converged for N, ${WALRUS_GRID_BY_N.map((b) => (b.maxN === Infinity ? `then ${b.grid}` : `${b.grid} to N = ${b.maxN}`)).join(", ")}; ${LEFT_POINT_GRID} with left-point)` },
  quadrature: { flag: "quadrature", arg: "<rule>", text: true, help: `WaLRUS frame quadrature, ${QUADRATURE_RULES.join(" or ")} (default ${WAVELET_FRAME_DEFAULTS.quadrature}; left-point = the authors')` },
  naturalRank: { flag: "natural-rank", help: `WaLRUS: the authors' rcond = ${WALRUS_RCOND} rank instead of rank-N truncation` },
  theta: { flag: "theta", arg: "<θ>", help: "LegT window length (default 1; 2 = state-spaces/s4's legt)" },
};

export const INIT_FLAGS: Record<string, { type: "string" | "boolean" }> = {
  N: { type: "string" },
  ...Object.fromEntries(Object.values(KNOB_FLAGS).map((k) => [k.flag, { type: k.arg ? "string" : "boolean" }])),
};

const usageLine = (flag: string, arg: string | undefined, help: string) => `  ${`--${flag}${arg ? ` ${arg}` : ""}`.padEnd(22)}${help}`;

export const INIT_FLAGS_USAGE = [usageLine("N", "<n>", "state size (required)"), ...Object.values(KNOB_FLAGS).map((k) => usageLine(k.flag, k.arg, k.help))].join("\n");

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
  const o: Record<string, unknown> = { N: num("N", values.N as string | undefined, true) };
  for (const [key, k] of Object.entries(KNOB_FLAGS)) {
    const v = values[k.flag];
    if (k.arg) o[key] = k.text ? v : num(k.flag, v as string | undefined);
    else if (v === true) o[key] = true;
  }
  return o as unknown as InitOptions;
}
