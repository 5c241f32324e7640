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

/** Closest allowed name to `s` (edit distance ≤ 2, case-insensitive), for did-you-mean hints. */
export function closest(s: string, allowed: readonly string[]): string | undefined {
  const d = (a: string, b: string): number => {
    a = a.toLowerCase();
    b = b.toLowerCase();
    let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
      const cur = [i];
      for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
    return prev[b.length];
  };
  let best: string | undefined, bd = 3;
  for (const k of allowed) {
    const x = d(s, k);
    if (x < bd) [best, bd] = [k, x];
  }
  return best;
}

/** Unknown keys of a config object are a mistake (a misspelt key would silently train on defaults). */
export function rejectUnknownKeys(where: string, obj: object | undefined, allowed: readonly string[]): void {
  if (obj === undefined || obj === null) return;
  if (typeof obj !== "object" || Array.isArray(obj)) throw new ParameterError(where, `an object with keys among ${allowed.join(", ")}`, obj);
  for (const k of Object.keys(obj)) {
    if (allowed.includes(k)) continue;
    const hint = closest(k, allowed);
    throw new ParameterError(`${where}.${k}`, `a known key${hint ? ` (did you mean "${hint}"?)` : ""}: ${allowed.join(", ")}`, (obj as Record<string, unknown>)[k]);
  }
}
