// The project root, found without import.meta (tslab compiles src to CommonJS, and a file using
// import.meta is then loaded as ESM and fails): walk up from the running script and from the cwd
// to the package.json named w4s4-workbench.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

let cached: string | undefined;

function isRoot(d: string): boolean {
  const f = join(d, "package.json");
  if (!existsSync(f)) return false;
  try {
    return (JSON.parse(readFileSync(f, "utf8")) as { name?: string }).name === "w4s4-workbench";
  } catch {
    return false;
  }
}

export function projectRoot(): string {
  if (cached) return cached;
  const starts = [process.argv[1] ? dirname(resolve(process.argv[1])) : undefined, process.cwd()];
  for (const s of starts) {
    if (!s) continue;
    for (let d = s; ; d = dirname(d)) {
      if (isRoot(d)) return (cached = d);
      if (dirname(d) === d) break;
    }
  }
  return (cached = process.cwd());
}

const COMPILED = Symbol.for("w4s4.compiledDir");
const slots = globalThis as unknown as Record<symbol, string | undefined>;

/**
 * The folder of the compiled build (holding src/…/*.js) when this process runs it — bin/w4s4.js
 * says so through setCompiledDir — else undefined (tsx, tslab, vitest run the .ts sources).
 * Worker entry files are chosen by it: a compiled main thread must not start TypeScript workers.
 */
export function compiledDir(): string | undefined {
  return slots[COMPILED];
}

/** Called by bin/w4s4.js before it loads the compiled CLI (a global, so each copy of this module agrees). */
export function setCompiledDir(dir: string): void {
  slots[COMPILED] = dir;
}
