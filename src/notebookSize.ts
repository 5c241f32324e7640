// The one size knob every notebook and the paper run read: W4S4_SIZE = small | default | full.
// small: CI (seconds to a few minutes per notebook); default: the README's main command on a laptop
// CPU; full: the paper's sizes (hours on CPU; use a GPU machine).
import { ParameterError } from "./errors.js";

export const SIZES = ["small", "default", "full"] as const;
export type Size = (typeof SIZES)[number];

export function parseSize(v: string | undefined, parameter = "W4S4_SIZE"): Size {
  if (v === undefined || v === "") return "default";
  if (!(SIZES as readonly string[]).includes(v)) throw new ParameterError(parameter, `one of ${SIZES.join(", ")}`, v);
  return v as Size;
}

/** The size the current process runs at (from W4S4_SIZE; default "default"). */
export function notebookSize(): Size {
  return parseSize(process.env.W4S4_SIZE);
}

/** Pick a value by size: bySize({ small: 8, default: 32, full: 64 }). */
export function bySize<T>(values: Record<Size, T>, size: Size = notebookSize()): T {
  return values[size];
}
