// One error type for bad input, always naming the parameter and its allowed range.
export class ParameterError extends Error {
  constructor(
    readonly parameter: string,
    readonly allowed: string,
    readonly got: unknown,
  ) {
    super(`Invalid ${parameter}: got ${fmt(got)}; allowed: ${allowed}.`);
    this.name = "ParameterError";
  }
}

function fmt(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "boolean" || v === undefined || v === null) return String(v);
  try {
    const s = JSON.stringify(v);
    return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    return String(v);
  }
}

export function requireInt(name: string, v: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min || v > max) {
    throw new ParameterError(name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer in [${min}, ${max}]`, v);
  }
  return v;
}

export function requireFinite(name: string, v: unknown, opts: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean } = {}): number {
  const { min, max, exclusiveMin, exclusiveMax } = opts;
  const ok =
    typeof v === "number" &&
    Number.isFinite(v) &&
    (min === undefined || (exclusiveMin ? v > min : v >= min)) &&
    (max === undefined || (exclusiveMax ? v < max : v <= max));
  if (!ok) {
    const lo = min === undefined ? "" : exclusiveMin ? `> ${min}` : `>= ${min}`;
    const hi = max === undefined ? "" : exclusiveMax ? `< ${max}` : `<= ${max}`;
    throw new ParameterError(name, ["a finite number", lo, hi].filter(Boolean).join(" "), v);
  }
  return v as number;
}

export function requireOneOf<T extends string>(name: string, v: unknown, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new ParameterError(name, `one of ${allowed.join(", ")}`, v);
  }
  return v as T;
}
