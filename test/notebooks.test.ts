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
    const r = runner(out, "test/fixtures/notebooks/broken.ipynb", "test/fixtures/notebooks/type-error.ipynb", "test/fixtures/notebooks/missing-chart.ipynb", "test/fixtures/notebooks/stack-trace.ipynb");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/NOTEBOOK FAILED: .*broken\.ipynb, cell 2/);
    expect(r.stderr).toContain("deliberate failure in cell two: fraction=3");
    expect(r.stderr).not.toContain("must never run");
    expect(r.stderr).toMatch(/NOTEBOOK FAILED: .*type-error\.ipynb, cell 1[\s\S]*Type 'string' is not assignable to type 'number'/);
    expect(r.stderr).toMatch(/missing-chart\.ipynb: expected at least 1 output\(s\) of image\/svg\+xml, found 0/);
    expect(r.stderr).toMatch(/stack-trace\.ipynb: cell 1 printed a stack trace on stderr: Error: late socket write/);
    expect(r.stderr).toMatch(/0 of 4 notebooks ran/);
    // The executed copy is kept, with the first cell's output, so the failure can be read in place.
    const nb = JSON.parse(readFileSync(join(out, "broken.ipynb"), "utf8"));
    expect(nb.cells[1].outputs[0].text.join("")).toContain("first cell ran 2");
  });

  // The paper command at the small size (CI's run of the main job): every notebook executes, every
  // chart and table is collected, the report lists the paper's artefacts, and Chromium renders it.
  it("npm run paper at the small size runs every notebook and writes a report Chromium renders", () => {
    const out = mkdtempSync(join(tmpdir(), "w4s4-paper-"));
    const r = spawnSync("node", ["--import", "tsx", "scripts/paper.ts", "--size", "small", "--out", out], { encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.status !== 0) console.error(r.stderr.slice(-20000));
    expect(r.status).toBe(0);
    const runs = JSON.parse(readFileSync(join(out, "notebooks", "results.json"), "utf8"));
    const nbs = readdirSync("notebooks").filter((f) => f.endsWith(".ipynb"));
    expect(runs.results.length).toBe(nbs.length);
    for (const res of runs.results) {
      expect(res.ok, res.notebook).toBe(true);
      expect(res.outputs.error ?? 0).toBe(0);
    }
    const nb00 = runs.results.find((x: { notebook: string }) => x.notebook.endsWith("00-setup-check.ipynb"));
    expect(nb00.outputs["image/svg+xml"]).toBeGreaterThanOrEqual(1);
    expect(nb00.outputs["text/html"]).toBeGreaterThanOrEqual(1);
    const executed = readFileSync(join(out, "notebooks", "00-setup-check.ipynb"), "utf8");
    // Every chart output carries a PNG beside its SVG, in the same bundle, so untrusted viewers show it.
    for (const f of readdirSync(join(out, "notebooks")).filter((x) => x.endsWith(".ipynb"))) {
      const nb = JSON.parse(readFileSync(join(out, "notebooks", f), "utf8")) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
      const charts = nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["image/svg+xml"] !== undefined);
      for (const o of charts) expect(Buffer.from(String(o.data!["image/png"] ?? ""), "base64").subarray(1, 4).toString(), f).toBe("PNG");
      // Numbered as Jupyter numbers them (tslab's replies carry no count; the runner sets it).
      const counts = (nb.cells as { cell_type?: string; execution_count?: number | null }[]).filter((c) => c.cell_type === "code").map((c) => c.execution_count);
      expect(counts, f).toEqual(counts.map((_, i) => i + 1));
    }
    expect(executed).toContain("<table class=\\\"w4s4-table\\\"");
    expect(executed).toMatch(/backend \\"(wasm|cpu|tensorflow)\\"/);
    // Every artefact of the paper has a paper-vs-ours row.
    const merged = JSON.parse(readFileSync(join(out, "results.json"), "utf8"));
    const artefacts = new Set<string>((merged.results ?? merged.rows ?? []).map((x: { artefact: string }) => x.artefact));
    for (const a of ["Theorem 1", "Fig. 1 (delay task)", "Delay sweep (W4S4 §4)", "Table 1 / s-CIFAR", "Table 1 / Texts", "Table 2 / LRA Text (IMDB bytes)", "Table 3 / Speech Commands (SC-AR)"]) {
      expect([...artefacts], a).toContain(a);
    }
    const md = readFileSync(join(out, "REPORT.md"), "utf8");
    expect(md).toContain("Table 1 / BIDMC");
    const check = spawnSync("node", ["--import", "tsx", "scripts/check-report.ts", out], { encoding: "utf8" });
    if (check.status !== 0) console.error(check.stdout, check.stderr);
    expect(check.status).toBe(0);
    expect(check.stdout).toMatch(/report OK: \d+ charts rendered/);
  }, 1_500_000);
});
