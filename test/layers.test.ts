// The import graph of src/ runs one way: a module imports only from lower layers (or its own
// folder). A back-edge fails here with the file, the import and both layers.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

const SRC = resolve(__dirname, "../src");
// Lowest first. Top-level files (errors, paths, random, backend, ...) and io/ are the base.
const RANK: Record<string, number> = {
  base: 0, linalg: 1, frames: 2, ssm: 3, kernels: 4, datasets: 4, nn: 5, tasks: 6, paper: 7, viz: 8, report: 9, cli: 10, index: 11,
};
// Known back-edges still to remove (issue 17); each is listed so that no new one can slip in.
const KNOWN: string[] = [];

function files(d: string): string[] {
  return readdirSync(d).flatMap((f) => {
    const p = join(d, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

function layer(file: string): string {
  const rel = relative(SRC, file);
  if (rel === "index.ts" || rel === "cli.ts") return rel === "index.ts" ? "index" : "cli";
  const top = rel.includes("/") ? rel.split("/")[0] : "base";
  return top === "io" ? "base" : top; // io/ is part of the base layer
}

/** The edge's violation, or undefined when `from` may import `to`. */
function violation(from: string, to: string): string | undefined {
  return from === to || RANK[to] < RANK[from] ? undefined : `${from} may not import ${to}`;
}

function imports(file: string): string[] {
  const s = readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of s.matchAll(/(?:from\s+|import\s*\(\s*|^import\s+)["'](\.{1,2}\/[^"']+)["']/gm)) out.push(m[1]);
  return out;
}

describe("layering of src/", () => {
  it("has no import from a higher layer (and no cycle through layers)", () => {
    const bad: string[] = [];
    const used = new Set<string>();
    for (const f of files(SRC)) {
      const from = layer(f);
      expect(RANK[from], `unranked folder ${from}`).toBeDefined();
      for (const imp of imports(f)) {
        const target = resolve(dirname(f), imp.replace(/\.js$/, ".ts"));
        const to = layer(target);
        expect(RANK[to], `unranked folder ${to} (from ${f})`).toBeDefined();
        const v = violation(from, to);
        if (!v) continue;
        const edge = `${relative(SRC, f)} -> ${relative(SRC, target)}`;
        if (KNOWN.includes(edge)) used.add(edge);
        else bad.push(`${edge}  (${v})`);
      }
    }
    expect(bad).toEqual([]);
    // A listed exception that no longer exists must be removed from the list.
    expect(KNOWN.filter((k) => !used.has(k))).toEqual([]);
  });

  it("would catch a back-edge (the checker itself)", () => {
    expect(violation(layer(join(SRC, "nn/x.ts")), layer(join(SRC, "viz/y.ts")))).toBe("nn may not import viz");
    expect(violation(layer(join(SRC, "tasks/x.ts")), layer(join(SRC, "paper/y.ts")))).toBe("tasks may not import paper");
    expect(violation(layer(join(SRC, "io/x.ts")), layer(join(SRC, "paths.ts")))).toBeUndefined();
    expect(violation(layer(join(SRC, "viz/x.ts")), layer(join(SRC, "paper/y.ts")))).toBeUndefined();
    expect(RANK[layer(join(SRC, "nn/x.ts"))]).toBeGreaterThan(RANK[layer(join(SRC, "random.ts"))]);
    expect(imports(join(SRC, "nn/batches.ts"))).toContain("../random.js");
  });
});
