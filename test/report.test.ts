// The paper run's report (src/report/: load, markdown, html, readme), its README updater and the DOM check, on a fake
// results tree: two notebooks (one ok with a chart and a table, one failed), two paper-vs-ours rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadReportData, type ReportData } from "../src/report/load.js";
import { csvPreview, fmtValue } from "../src/report/format.js";
import { buildReportMarkdown, buildResultsMarkdown } from "../src/report/markdown.js";
import { buildReportHtml, inlineSvg } from "../src/report/html.js";
import { mergedResults, replaceBetweenMarkers } from "../src/report/readme.js";
import { parseCsv } from "../src/viz/format.js";
import { updateReadmeResults } from "../scripts/update-readme-results.js";
import { checkDom } from "../scripts/check-report.js";
import { notebookResultsDir } from "../scripts/run-notebooks.js";

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><defs><clipPath id="clip1"><rect width="10" height="10"/></clipPath></defs>' +
  '<g clip-path="url(#clip1)"><text>fake-chart-marker</text></g></svg>';
const CSV = 'init,"log10 MSE, mean",note\nwalrus,-3.5,"say ""hi"""\nlegs,-2.25,plain\n';
const ERROR = "NOTEBOOK FAILED: /x/notebooks/01-bad.ipynb, cell 3 (index 5):\n--- source ---\nthrow new Error('boom')\n--- error ---\n\u001b[31mError: boom\u001b[0m";

let dir: string;
let data: ReportData;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "w4s4-report-"));
  const a = join(dir, "results", "00-good");
  mkdirSync(a, { recursive: true });
  writeFileSync(join(a, "01-chart-fig-1.svg"), SVG);
  writeFileSync(join(a, "01-chart-fig-1.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  writeFileSync(join(a, "02-table-seeds.csv"), CSV);
  writeFileSync(
    join(a, "results.json"),
    JSON.stringify({
      results: [
        { artefact: "Fig. 1", quantity: "log10 MSE gap WaLRUS − HiPPO", paper: -1.2, ours: -1.23456, data: "AR(1) | white noise", verdict: "holds", outcome: "holds" },
        { artefact: "Table 1 / s-CIFAR", quantity: "accuracy", paper: "91.2 %", ours: null, data: "not run at this size", verdict: "not comparable" }, // saved before outcomes existed
      ],
      artifacts: [
        { kind: "chart", title: "Fig. 1 <log-MSE vs dt>", files: ["01-chart-fig-1.svg", "01-chart-fig-1.png"] },
        { kind: "table", title: "Seeds", files: ["02-table-seeds.csv"] },
      ],
    }),
  );
  // The failed notebook saved nothing (no results directory at all).
  data = loadReportData({
    outDir: dir,
    runs: [
      { notebook: "/x/notebooks/00-good.ipynb", output: join(dir, "notebooks", "00-good.ipynb"), ok: true, seconds: 12.3 },
      { notebook: "/x/notebooks/01-bad.ipynb", output: join(dir, "notebooks", "01-bad.ipynb"), ok: false, seconds: 4, error: ERROR },
    ],
    size: "small",
    backend: 'tfjs 4.22.0 backend "wasm"',
    versions: { node: "20.19.0", "@tensorflow/tfjs": "4.22.0", vega: "5.33.0" },
    date: "2026-01-02T03:04:05.000Z",
    totalSeconds: 16.3,
  });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("loadReportData", () => {
  it("reads each notebook's results, artefacts and files", () => {
    expect(data.notebooks.map((n) => n.name)).toEqual(["00-good", "01-bad"]);
    const [good, bad] = data.notebooks;
    expect(good.results).toHaveLength(2);
    expect(good.executed).toBe("notebooks/00-good.ipynb");
    expect(good.artifacts[0].svg).toContain("fake-chart-marker");
    expect(good.artifacts[0].png).toBe("results/00-good/01-chart-fig-1.png");
    expect(good.artifacts[1].csv).toBe(CSV);
    expect(bad).toMatchObject({ ok: false, results: [], artifacts: [] });
    expect(data.seedPolicy).toBe("seeded; every notebook fixes its seeds");
  });

  it("merges everything into one results.json value", () => {
    const m = mergedResults(data) as { results: { notebook: string }[]; artifacts: { files: string[] }[]; notebooks: { ok: boolean }[] };
    expect(m.results.map((r) => r.notebook)).toEqual(["00-good", "00-good"]);
    expect(m.artifacts[0].files).toContain("results/00-good/01-chart-fig-1.svg");
    expect(m.notebooks.map((n) => n.ok)).toEqual([true, false]);
  });
});

describe("markdown", () => {
  it("results.md has the paper-vs-ours rows (escaped) and names the failed notebook", () => {
    const md = buildResultsMarkdown(data);
    expect(md).toContain("| artefact | quantity | paper | ours | data | verdict |");
    expect(md).toContain("| Fig. 1 | log10 MSE gap WaLRUS − HiPPO | -1.2 | -1.235 | AR(1) \\| white noise | ✅ holds |");
    expect(md).toContain("| Table 1 / s-CIFAR | accuracy | 91.2 % | — | not run at this size | not comparable |");
    expect(md).toContain("`01-bad`");
  });

  it("REPORT.md states the run, the timings, the rows, the figures and the failure", () => {
    const md = buildReportMarkdown(data);
    expect(md).toContain("**1 of 2 notebooks FAILED**");
    for (const s of ["`small`", "2026-01-02T03:04:05.000Z", 'backend "wasm"', "Node.js 20.19.0", "@tensorflow/tfjs 4.22.0", "seeded; every notebook fixes its seeds"])
      expect(md).toContain(s);
    expect(md).toContain("| [00-good](notebooks/00-good.ipynb) | ok | 12.3 s | 1 | 1 | 2 |");
    expect(md).toContain("| [01-bad](notebooks/01-bad.ipynb) | **FAILED** | 4.0 s |");
    expect(md).toContain("16.3 s");
    expect(md).toContain("| walrus | -3.5 | say \"hi\" |");
    expect(md).toContain("](results/00-good/01-chart-fig-1.png)");
    expect(md).toContain("## Failures");
    expect(md).toContain("cell 3 (index 5)");
    expect(md).toContain("Error: boom");
    expect(md).not.toContain("\u001b[");
  });
});

describe("HTML", () => {
  it("is standalone, inlines the SVG with unique ids, renders the CSV and the grouped results", () => {
    const html = buildReportHtml(data);
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<meta name="w4s4-charts" content="1">');
    expect(html).toContain("fake-chart-marker");
    expect(html).toContain('<clipPath id="c1-clip1">');
    expect(html).toContain('clip-path="url(#c1-clip1)"');
    expect(html).toContain('<figure class="chart" data-chart="1">');
    expect(html).toContain("Fig. 1 &lt;log-MSE vs dt&gt;");
    expect(html).toContain("<th>log10 MSE, mean</th>");
    expect(html).toContain('<td class="num">-2.25</td>');
    expect(html).toContain("say &quot;hi&quot;");
    expect(html).toContain('<th colspan="6">Fig. 1</th>');
    // Verdicts are coloured by outcome; a row saved without one stays plain.
    expect(html).toContain('<td class="verdict v-holds">holds</td>');
    expect(html).toContain('<td class="verdict">not comparable</td>');
    expect(html).toMatch(/td\.v-holds\{background:#e6f4ea/);
    expect(html).toContain('<th colspan="6">Table 1 / s-CIFAR</th>');
    expect(html).toContain("<td>log10 MSE gap WaLRUS − HiPPO</td>");
    expect(html).toContain("AR(1) | white noise");
    expect(html).toContain('id="failures"');
    expect(html).toContain("Error: boom");
    expect(html).toContain("throw new Error('boom')");
    expect(html).toContain("seeded; every notebook fixes its seeds");
    expect(html).not.toContain("<img");
  });

  it("reports no failures section when all notebooks ran", () => {
    const ok = { ...data, notebooks: data.notebooks.filter((n) => n.ok) };
    expect(buildReportHtml(ok)).not.toContain('id="failures"');
    expect(buildReportMarkdown(ok)).toContain("All 1 notebooks ran.");
  });
});

describe("helpers", () => {
  it("formats values", () => {
    expect(fmtValue(null)).toBe("—");
    expect(fmtValue(3)).toBe("3");
    expect(fmtValue(0.123456)).toBe("0.1235");
    expect(fmtValue(1.5e-7)).toBe("1.5e-7");
    expect(fmtValue("n/a")).toBe("n/a");
  });

  it("csvPreview shows numbers to 4 significant digits and leaves text (and number-like text) alone", () => {
    const t = csvPreview("name,x,y\nrun 1,0.12345678901234567,-3.2e-9\n12 of 20,42,abc\n")!;
    expect(t.rows).toEqual([["run 1", "0.1235", "-3.2e-9"], ["12 of 20", "42", "abc"]]);
  });

  it("parses CSV with quotes, commas and CRLF", () => {
    expect(parseCsv('a,b\r\n"x,y","q""q"\r\n')).toEqual([["a", "b"], ["x,y", 'q"q']]);
  });

  it("inlineSvg drops the XML prolog", () => {
    expect(inlineSvg('<?xml version="1.0"?>\n<svg></svg>', "p-")).toBe("<svg></svg>");
  });

  it("names each notebook's results directory after the notebook", () => {
    expect(notebookResultsDir("/o/results", "/x/notebooks/03-delay-ablation.ipynb")).toBe("/o/results/03-delay-ablation");
  });
});

describe("README updater", () => {
  const before = "# Title\n\nintro\n\n<!-- results:begin -->\nold table\n<!-- results:end -->\n\nafter the markers\n";

  it("replaces only the text between the markers", () => {
    writeFileSync(join(dir, "results.json"), JSON.stringify(mergedResults(data)));
    writeFileSync(join(dir, "results.md"), buildResultsMarkdown(data));
    const readme = join(dir, "README.md");
    writeFileSync(readme, before);
    const after = updateReadmeResults(dir, readme);
    expect(readFileSync(readme, "utf8")).toBe(after);
    expect(after.startsWith("# Title\n\nintro\n\n<!-- results:begin -->\n")).toBe(true);
    expect(after.endsWith("<!-- results:end -->\n\nafter the markers\n")).toBe(true);
    expect(after).not.toContain("old table");
    expect(after).toContain("--size small` on 2026-01-02, backend: tfjs 4.22.0 backend \"wasm\"");
    expect(after).toContain("| Fig. 1 | log10 MSE gap WaLRUS − HiPPO |");
    // Running it again gives the same file.
    expect(updateReadmeResults(dir, readme)).toBe(after);
  });

  it("fails clearly when the markers are missing or out of order", () => {
    expect(() => replaceBetweenMarkers("# no markers\n", "x")).toThrow(/no <!-- results:begin --> and no <!-- results:end --> marker/);
    expect(() => replaceBetweenMarkers("<!-- results:begin -->\n", "x")).toThrow(/no <!-- results:end --> marker/);
    expect(() => replaceBetweenMarkers("<!-- results:end -->\n<!-- results:begin -->\n", "x")).toThrow(/comes before/);
    const readme = join(dir, "README-nomarkers.md");
    writeFileSync(readme, "# nothing here\n");
    expect(() => updateReadmeResults(dir, readme)).toThrow(/marker/);
    expect(readFileSync(readme, "utf8")).toBe("# nothing here\n");
  });
});

describe("checkDom", () => {
  const html = () => buildReportHtml({ ...data, notebooks: data.notebooks.filter((n) => n.ok) });

  it("accepts a DOM where every chart rendered", () => {
    const dom = html()
      .replace('<figure class="chart" data-chart="1">', '<figure class="chart" data-chart="1" data-rendered="200x100">')
      .replace("<body>", '<body data-charts-rendered="1">');
    expect(checkDom(html(), dom)).toMatchObject({ ok: true, listed: 1, rendered: 1 });
  });

  it("rejects a DOM with a chart missing or not laid out", () => {
    const r = checkDom(html(), html().replace(/<svg[\s\S]*?<\/svg>/, ""));
    expect(r.ok).toBe(false);
    expect(r.problems.join("\n")).toMatch(/<svg> elements/);
    expect(r.problems.join("\n")).toMatch(/did not render/);
  });
});
