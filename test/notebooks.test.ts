// Executes every notebook in notebooks/ at the small size with the real tslab kernel, and proves
// that a failing cell fails the run with the cell's own error text.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const runner = (out: string, ...nbs: string[]) =>
  spawnSync("node", ["--import", "tsx", "scripts/run-notebooks.ts", "--size", "small", "--out", out, ...nbs], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
  });

describe("notebooks", () => {
  it("rejects an unknown size or timeout before starting any kernel", () => {
    const r = spawnSync("node", ["--import", "tsx", "scripts/run-notebooks.ts", "--size", "huge"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('Invalid --size: got "huge"; allowed: one of small, default, full');
    const t = spawnSync("node", ["--import", "tsx", "scripts/run-notebooks.ts", "--timeout", "0"], { encoding: "utf8" });
    expect(t.status).toBe(2);
    expect(t.stderr).toMatch(/Invalid --timeout/);
  });

  it("a deliberately broken notebook fails the run and names the cell and its error", () => {
    const out = mkdtempSync(join(tmpdir(), "w4s4-nb-"));
    const r = runner(out, "test/fixtures/notebooks/broken.ipynb", "test/fixtures/notebooks/type-error.ipynb", "test/fixtures/notebooks/missing-chart.ipynb");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/NOTEBOOK FAILED: .*broken\.ipynb, cell 2/);
    expect(r.stderr).toContain("deliberate failure in cell two: fraction=3");
    expect(r.stderr).not.toContain("must never run");
    expect(r.stderr).toMatch(/NOTEBOOK FAILED: .*type-error\.ipynb, cell 1[\s\S]*Type 'string' is not assignable to type 'number'/);
    expect(r.stderr).toMatch(/missing-chart\.ipynb: expected at least 1 output\(s\) of image\/svg\+xml, found 0/);
    expect(r.stderr).toMatch(/0 of 3 notebooks ran/);
    // The executed copy is kept, with the first cell's output, so the failure can be read in place.
    const nb = JSON.parse(readFileSync(join(out, "broken.ipynb"), "utf8"));
    expect(nb.cells[1].outputs[0].text.join("")).toContain("first cell ran 2");
  });

  it("every notebook runs at the small size and has its charts and tables", () => {
    const out = mkdtempSync(join(tmpdir(), "w4s4-nb-"));
    const r = runner(out);
    if (r.status !== 0) console.error(r.stderr);
    expect(r.status).toBe(0);
    const results = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const nbs = readdirSync("notebooks").filter((f) => f.endsWith(".ipynb"));
    expect(results.results.length).toBe(nbs.length);
    for (const res of results.results) {
      expect(res.ok, res.notebook).toBe(true);
      expect(res.outputs.error ?? 0).toBe(0);
    }
    const nb00 = results.results.find((x: { notebook: string }) => x.notebook.endsWith("00-setup-check.ipynb"));
    expect(nb00.outputs["image/svg+xml"]).toBeGreaterThanOrEqual(1);
    expect(nb00.outputs["text/html"]).toBeGreaterThanOrEqual(1);
    const executed = readFileSync(join(out, "00-setup-check.ipynb"), "utf8");
    expect(executed).toContain("<table class=\\\"w4s4-table\\\"");
    expect(executed).toMatch(/backend \\"(wasm|cpu|tensorflow)\\"/);
  });
});
