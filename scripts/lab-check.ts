// JupyterLab for real, in a real browser: start the project's JupyterLab (.venv) on localhost with
// the tslab kernel and W4S4_SIZE=small, drive Debian's Chromium with playwright-core, and
//   1. open notebooks 01 and 05 (untrusted, as a fresh clone's are) and run all cells;
//   2. check that no cell errored and that every chart is visible: each chart output of the
//      notebook model has a rendered <img> in the page, loaded, laid out, and not blank (ink in a
//      screenshot of the element, as for nbconvert's HTML); a screenshot of the page at each chart;
//   3. in 05, change the wavelet knob (db11 → db4), re-run that cell and the next code cell, and
//      check that the next cell's output changed.
//   npm run lab:check -- [--out DIR] [--timeout SECONDS]
// First, every committed notebook through nbconvert to HTML, its charts checked in Chromium
// (nbconvertCheck). Prints "nbconvert OK" and "lab OK: …" with the screenshots' paths; exits 1
// naming what failed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { chromium, type Page } from "playwright-core";
import { writeFileAtomic } from "../src/io/atomic.js";
import { projectRoot } from "../src/paths.js";
import { requireInt } from "../src/errors.js";
import { chromiumPath } from "./check-report.js";
import { jupyterEnv, jupyterLab, jupyterPython } from "./jupyter.js";

const NOTEBOOKS = ["notebooks/01-theorem1-eigenvalues.ipynb", "notebooks/05-init-playground.ipynb"];
const KNOB = { notebook: "notebooks/05-init-playground.ipynb", from: 'wavelet: "db11"', to: 'wavelet: "db4"' };
/** A cell with a progress bar: after the run it holds one progress output (updated in place), complete. */
const PROGRESS = { notebook: "notebooks/01-theorem1-eigenvalues.ipynb", title: "grid convergence" };

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once("error", fail);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

async function waitForServer(url: string, lab: ChildProcess, log: () => string, seconds: number): Promise<void> {
  const t0 = Date.now();
  while (Date.now() - t0 < seconds * 1000) {
    if (lab.exitCode !== null) throw new Error(`JupyterLab exited (${lab.exitCode}) before it answered:\n${log().slice(-3000)}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`JupyterLab did not answer ${url} within ${seconds} s:\n${log().slice(-3000)}`);
}

interface CellReport {
  index: number;
  type: string;
  count: number | null;
  errors: string[];
  charts: number;
  text: string;
}

// Runs in the page: JupyterLab's app is on window (LabApp.expose_app_in_browser). The page's globals,
// typed loosely here (the project's TypeScript has no DOM library).
/* eslint-disable @typescript-eslint/no-explicit-any */
declare const window: any, document: any;
type LabWindow = { jupyterapp: any };

/** Open a notebook, wait for its kernel, run every cell, wait until all have run. */
async function openAndRunAll(page: Page, base: string, nb: string, token: string, seconds: number): Promise<void> {
  await page.goto(`${base}/lab/tree/${nb}?token=${token}`);
  await page.waitForFunction((path) => {
    const w = (window as LabWindow).jupyterapp?.shell?.currentWidget;
    return w?.context?.path === path && w.sessionContext?.session?.kernel?.status === "idle";
  }, nb.replace(/^\/+/, ""), { timeout: seconds * 1000 });
  await page.evaluate(() => (window as LabWindow).jupyterapp.commands.execute("notebook:run-all-cells"));
  await waitIdle(page, seconds);
}

/** Every code cell has an execution count and the kernel is idle (twice in a row, 0.5 s apart). */
async function waitIdle(page: Page, seconds: number): Promise<void> {
  let settled = 0;
  const t0 = Date.now();
  while (settled < 2) {
    if (Date.now() - t0 > seconds * 1000) throw new Error(`cells still running after ${seconds} s`);
    await new Promise((r) => setTimeout(r, 500));
    const done = await page.evaluate(() => {
      const w = (window as LabWindow).jupyterapp.shell.currentWidget;
      if (w.sessionContext.session?.kernel?.status !== "idle") return false;
      const cells = w.content.widgets as { model: { type: string; executionCount: number | null }; promptNode?: any }[];
      return cells.every((c) => c.model.type !== "code" || (c.model.executionCount !== null && !/\[\*\]/.test(c.promptNode?.textContent ?? "")));
    });
    settled = done ? settled + 1 : 0;
  }
}

/** What the notebook model holds, cell by cell: execution counts, errors, chart outputs, text. */
function cellReports(page: Page): Promise<CellReport[]> {
  return page.evaluate(() => {
    const w = (window as LabWindow).jupyterapp.shell.currentWidget;
    return (w.content.widgets as { model: { type: string; executionCount: number | null; outputs?: { toJSON(): any[] } } }[]).map((c, index) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      const outs = c.model.type === "code" ? c.model.outputs!.toJSON() : [];
      const errors: string[] = [];
      let charts = 0, text = "";
      for (const o of outs as any[]) {
        if (o.output_type === "error") errors.push(`${o.ename}: ${o.evalue}`);
        const t = [o.text ?? "", o.data?.["text/plain"] ?? ""].map((x: string | string[]) => (Array.isArray(x) ? x.join("") : x)).join("");
        if (o.output_type === "stream" && o.name === "stderr" && /(^|\n)\s*(\w*Error\b|error TS\d+)/.test(t)) errors.push(t.slice(0, 300));
        if (o.data?.["image/png"] !== undefined) charts++;
        text += t + (o.data?.["image/png"] ? `[png ${String(o.data["image/png"]).length}]` : "");
      }
      return { index, type: c.model.type, count: c.model.executionCount ?? null, errors, charts, text };
    });
  });
}

/** Each chart image in the output areas: loaded, laid out, and with ink in a screenshot of it as laid out (inkFraction). */
async function renderedCharts(page: Page, shotPrefix: string): Promise<{ cell: number; ok: boolean; why: string; shot: string }[]> {
  // The current notebook's cells only: notebooks opened before stay in the page, hidden.
  const n = await page.evaluate(() => (window as LabWindow).jupyterapp.shell.currentWidget.node.querySelectorAll(".jp-Cell").length);
  const out: { cell: number; ok: boolean; why: string; shot: string }[] = [];
  for (let i = 0; i < n; i++) {
    const imgs = await page.evaluate(async (i) => {
      const cell = (window as LabWindow).jupyterapp.shell.currentWidget.node.querySelectorAll(".jp-Cell")[i];
      cell.scrollIntoView();
      const res: { id: string; laidOut: boolean; size: string }[] = [];
      for (const [j, img] of ([...cell.querySelectorAll(".jp-OutputArea-output img")] as any[]).entries()) {
        if (!img.complete) await new Promise((r) => img.addEventListener("load", r, { once: true }));
        const box = img.getBoundingClientRect();
        const id = `${i}-${j}`;
        img.setAttribute("data-w4s4-chart", id); // for the screenshot of this element
        res.push({ id, laidOut: img.naturalWidth > 0 && box.width >= 10 && box.height >= 10, size: `${img.naturalWidth}×${img.naturalHeight} shown at ${Math.round(box.width)}×${Math.round(box.height)}` });
      }
      return res;
    }, i);
    if (!imgs.length) continue;
    const shot = `${shotPrefix}-cell${i}.png`; // the viewport with this cell scrolled into it
    await page.screenshot({ path: shot });
    for (const im of imgs) {
      if (!im.laidOut) {
        out.push({ cell: i, ok: false, why: `not laid out (${im.size})`, shot });
        continue;
      }
      const ink = await inkFraction(page, await page.locator(`[data-w4s4-chart="${im.id}"]`).screenshot());
      out.push({ cell: i, ok: ink > 0.002, why: `${(100 * ink).toFixed(2)}% non-white pixels, ${im.size}`, shot });
    }
  }
  return out;
}

export async function labCheck(opts: { out: string; timeout: number }): Promise<string[]> {
  const root = projectRoot();
  const lab = jupyterLab(root);
  if (!lab) throw new Error("JupyterLab is not installed in .venv/: run bash scripts/setup.sh (it needs PyPI)");
  const port = await freePort();
  const token = randomBytes(16).toString("hex");
  const work = mkdtempSync(join(tmpdir(), "w4s4-lab-"));
  const settings = join(work, "settings");
  // Every cell attached to the page, not only those on screen (JupyterLab 4 windows long notebooks).
  mkdirSync(join(settings, "@jupyterlab/notebook-extension"), { recursive: true });
  writeFileAtomic(join(settings, "@jupyterlab/notebook-extension/tracker.jupyterlab-settings"), JSON.stringify({ windowingMode: "none" }));
  // Never write the run's outputs or the knob edit back into notebooks/ (autosave is on by default).
  mkdirSync(join(settings, "@jupyterlab/docmanager-extension"), { recursive: true });
  writeFileAtomic(join(settings, "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings"), JSON.stringify({ autosave: false }));
  mkdirSync(join(settings, "@jupyterlab/apputils-extension"), { recursive: true });
  writeFileAtomic(join(settings, "@jupyterlab/apputils-extension/notification.jupyterlab-settings"), JSON.stringify({ fetchNews: "false", checkForUpdates: false }));
  const args = ["--no-browser", `--port=${port}`, "--ServerApp.ip=127.0.0.1", `--IdentityProvider.token=${token}`, `--ServerApp.root_dir=${root}`, "--LabApp.expose_app_in_browser=True",
    `--FileCheckpoints.checkpoint_dir=${join(work, "checkpoints")}`]; // not notebooks/.ipynb_checkpoints
  if (process.getuid?.() === 0) args.push("--allow-root");
  let log = "";
  const server = spawn(lab, args, {
    env: jupyterEnv(root, { W4S4_SIZE: "small", JUPYTER_CONFIG_DIR: join(work, "config"), JUPYTER_RUNTIME_DIR: join(work, "runtime"), JUPYTERLAB_SETTINGS_DIR: settings, JUPYTERLAB_WORKSPACES_DIR: join(work, "workspaces") }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d) => (log += d));
  server.stderr!.on("data", (d) => (log += d));
  const base = `http://127.0.0.1:${port}`;
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] }).catch((e) => {
    server.kill();
    throw e;
  });
  const problems: string[] = [];
  const lines: string[] = [];
  try {
    await waitForServer(`${base}/api/status?token=${token}`, server, () => log, 120);
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    mkdirSync(opts.out, { recursive: true });
    for (const nb of NOTEBOOKS) {
      const t0 = Date.now();
      await openAndRunAll(page, base, nb, token, opts.timeout);
      const cells = await cellReports(page);
      const code = cells.filter((c) => c.type === "code");
      for (const c of code) {
        if (c.count === null) problems.push(`${nb}: cell ${c.index} did not run`);
        for (const e of c.errors) problems.push(`${nb}: cell ${c.index} errored: ${e}`);
      }
      const expected = code.reduce((n, c) => n + c.charts, 0);
      const prefix = resolve(opts.out, nb.split("/").pop()!.replace(/\.ipynb$/, ""));
      const shown = await renderedCharts(page, prefix);
      const bad = shown.filter((s) => !s.ok);
      if (expected === 0) problems.push(`${nb}: no chart output at all`);
      if (shown.length < expected) problems.push(`${nb}: ${expected} chart outputs in the model, ${shown.length} <img> in the page`);
      for (const b of bad) problems.push(`${nb}: the chart in cell ${b.cell} is not visible: ${b.why}`);
      const shots = [...new Set(shown.map((x) => x.shot))];
      lines.push(`${nb}: ${code.length} code cells ran in ${((Date.now() - t0) / 1000).toFixed(0)} s, ${shown.length - bad.length}/${expected} charts visible; screenshots ${shots.join(", ")}`);
      if (nb === KNOB.notebook) problems.push(...(await knobCheck(page, cells, lines, opts.timeout)));
      if (nb === PROGRESS.notebook) {
        const bars = cells.flatMap((c) => (c.text.match(new RegExp(`${PROGRESS.title} \\[[#.]+\\] [^\\n]*`, "g")) ?? []).map((t) => ({ cell: c.index, t })));
        const done = bars.length === 1 && /\] (\d+)\/\1 /.test(bars[0].t);
        if (!done) problems.push(`${nb}: expected one finished "${PROGRESS.title}" progress output, found ${bars.length}: ${bars.map((b) => b.t).join(" | ")}`);
        else {
          const shot = `${prefix}-progress.png`;
          await page.evaluate((i) => {
            const cell = (window as LabWindow).jupyterapp.shell.currentWidget.node.querySelectorAll(".jp-Cell")[i];
            cell.scrollIntoView();
            cell.setAttribute("data-w4s4-progress", "1");
          }, bars[0].cell);
          await page.locator('[data-w4s4-progress="1"]').screenshot({ path: shot });
          lines.push(`${nb}: cell ${bars[0].cell} shows one progress line, updated in place to "${bars[0].t}"; screenshot ${shot}`);
        }
      }
    }
  } finally {
    await browser.close();
    server.kill("SIGTERM");
    await new Promise((r) => (server.exitCode !== null ? r(null) : server.once("exit", r)));
    rmSync(work, { recursive: true, force: true });
  }
  if (problems.length) throw new Error(problems.join("\n"));
  return lines;
}

/** Fraction of non-white pixels in a PNG, decoded by the page's own image decoder. */
function inkFraction(page: Page, png: Buffer): Promise<number> {
  return page.evaluate(async (b64) => {
    const img = new (window as any).Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.naturalWidth;
    c.height = img.naturalHeight;
    const g = c.getContext("2d");
    g.drawImage(img, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    let dark = 0;
    for (let p = 0; p < d.length; p += 4) if (d[p] + d[p + 1] + d[p + 2] < 600) dark++;
    return dark / (c.width * c.height);
  }, png.toString("base64"));
}

/**
 * Each committed notebook converted by nbconvert to HTML (as a reader without Jupyter sees it) and
 * opened in Chromium: every chart output (the PNG <img>, or an inline <svg> where a template picks
 * SVG) is drawn. Judged from a screenshot of the element as Chromium laid it out, so a chart whose
 * marks are clipped or hidden by the page counts as blank.
 */
export async function nbconvertCheck(notebooks: string[], out: string): Promise<string[]> {
  const root = projectRoot();
  const py = jupyterPython(root);
  const work = mkdtempSync(join(tmpdir(), "w4s4-nbconvert-"));
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: ["--no-sandbox"] });
  const problems: string[] = [], lines: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    mkdirSync(out, { recursive: true });
    for (const nb of notebooks) {
      const r = spawnSync(py, ["-m", "nbconvert", "--to", "html", "--output-dir", work, join(root, nb)], { encoding: "utf8", env: jupyterEnv(root) });
      if (r.status !== 0) {
        problems.push(`${nb}: nbconvert failed: ${r.stderr.slice(-1500)}`);
        continue;
      }
      const html = join(work, basename(nb).replace(/\.ipynb$/, ".html"));
      await page.goto(pathToFileURL(html).href);
      const charts = page.locator(".jp-OutputArea-output img, .jp-OutputArea-output svg.marks, .output_png img, .output_svg svg");
      const n = await charts.count();
      const expected = chartOutputs(join(root, nb));
      if (n < expected) problems.push(`${nb}: ${expected} chart outputs in the notebook, ${n} in nbconvert's HTML`);
      let shown = 0, first = "";
      for (let i = 0; i < n; i++) {
        const shot = await charts.nth(i).screenshot();
        const ink = await inkFraction(page, shot);
        if (ink > 0.002) shown++;
        else problems.push(`${nb}: chart ${i + 1} of nbconvert's HTML is blank (${(100 * ink).toFixed(3)}% non-white pixels)`);
        if (i === 0) writeFileAtomic((first = join(out, basename(nb).replace(/\.ipynb$/, "-nbconvert-chart1.png"))), shot);
      }
      lines.push(`${nb}: nbconvert HTML, ${shown}/${expected} charts drawn${first ? `; first chart ${first}` : ""}`);
    }
  } finally {
    await browser.close();
    rmSync(work, { recursive: true, force: true });
  }
  if (problems.length) throw new Error(problems.join("\n"));
  return lines;
}

/** How many chart outputs (display bundles with an SVG or PNG) a notebook file holds. */
function chartOutputs(path: string): number {
  const nb = JSON.parse(readFileSync(path, "utf8")) as { cells: { outputs?: { data?: Record<string, unknown> }[] }[] };
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.["image/png"] !== undefined || o.data?.["image/svg+xml"] !== undefined).length;
}

/** Edit the knob in the notebook model, re-run its cell and the next code cell; that cell's output must change. */
async function knobCheck(page: Page, before: CellReport[], lines: string[], seconds: number): Promise<string[]> {
  const at = await page.evaluate((from) => {
    const w = (window as LabWindow).jupyterapp.shell.currentWidget;
    return (w.content.widgets as { model: { sharedModel: { getSource(): string } } }[]).findIndex((c) => c.model.sharedModel.getSource().includes(from));
  }, KNOB.from);
  if (at < 0) return [`${KNOB.notebook}: no cell holds ${KNOB.from}`];
  const next = before.find((c) => c.index > at && c.type === "code");
  if (!next) return [`${KNOB.notebook}: no code cell after the knobs`];
  for (const i of [at, next.index]) {
    await page.evaluate(({ i, from, to, edit }) => {
      const app = (window as LabWindow).jupyterapp;
      const w = app.shell.currentWidget;
      if (edit) {
        const m = w.content.widgets[i].model.sharedModel;
        m.setSource(m.getSource().replace(from, to));
      }
      w.content.activeCellIndex = i;
      return app.commands.execute("notebook:run-cell");
    }, { i, from: KNOB.from, to: KNOB.to, edit: i === at });
    await waitIdle(page, seconds);
  }
  const after = await cellReports(page);
  const problems: string[] = [];
  for (const i of [at, next.index]) for (const e of after[i].errors) problems.push(`${KNOB.notebook}: after the edit, cell ${i} errored: ${e}`);
  if (after[next.index].text === next.text) problems.push(`${KNOB.notebook}: cell ${next.index}'s output did not change after ${KNOB.from} → ${KNOB.to}`);
  if (!after[next.index].text.includes("db4")) problems.push(`${KNOB.notebook}: cell ${next.index}'s output does not mention db4 after the edit`);
  lines.push(`${KNOB.notebook}: ${KNOB.from} → ${KNOB.to}, cells ${at} and ${next.index} re-run, cell ${next.index}'s output changed (${next.text.length} → ${after[next.index].text.length} chars)`);
  return problems;
}

async function main(): Promise<void> {
  let timeout: number, values: { out?: string; timeout?: string };
  try {
    ({ values } = parseArgs({ options: { out: { type: "string" }, timeout: { type: "string" } } }));
    timeout = requireInt("--timeout", Number(values.timeout ?? 600), 10, 3600);
  } catch (e) {
    console.error((e as Error).message); // bad arguments: before any server or browser starts
    process.exitCode = 2;
    return;
  }
  const out = resolve(values.out ?? join(projectRoot(), "out/lab-check"));
  try {
    const committed = readdirSync(join(projectRoot(), "notebooks")).filter((f) => f.endsWith(".ipynb")).sort().map((f) => `notebooks/${f}`);
    for (const l of await nbconvertCheck(committed, out)) console.log(l);
    console.log(`nbconvert OK: every chart of the ${committed.length} committed notebooks drawn in Chromium from nbconvert's HTML`);
    for (const l of await labCheck({ out, timeout })) console.log(l);
    console.log(`lab OK: ${NOTEBOOKS.length} notebooks run in JupyterLab, every chart visible, the knob edit re-ran`);
  } catch (e) {
    console.error(`lab check FAILED:\n${(e as Error).message}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) await main();
