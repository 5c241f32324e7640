// Execute notebooks headlessly with the project's tslab kernel, at a given size.
//   npm run nb:run -- [--size small|default|full] [--out DIR] [--timeout S] [--inplace] [notebook ...]
// Every notebook in notebooks/ by default. Executed copies go to DIR (default .nbout/<size>);
// --inplace also copies each successfully executed notebook over its source (how we commit the
// default-size outputs, so notebooks read like the paper before anyone runs them).
// A notebook fails when a cell errors (the failing cell and its error text are printed) or when its
// outputs miss what its metadata `w4s4.expect` promises (e.g. {"image/svg+xml": 2, "text/html": 1}).
// Exit code 1 if any notebook failed; all are attempted.
import { jupyterPython } from "./jupyter.js";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { basename, join, resolve, dirname } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseSize } from "../src/notebookSize.js";
import { writeFileAtomic } from "../src/io/atomic.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export interface NotebookResult {
  notebook: string;
  output: string;
  ok: boolean;
  seconds: number;
  error?: string;
  outputs: Record<string, number>;
}

interface NbJson {
  metadata?: { w4s4?: { expect?: Record<string, number> } };
  cells: { cell_type: string; outputs?: { output_type: string; data?: Record<string, unknown>; name?: string; text?: string | string[] }[] }[];
}

/** Count outputs by MIME type (display_data/execute_result) and stream name. */
export function countOutputs(nb: NbJson): Record<string, number> {
  const n: Record<string, number> = {};
  for (const c of nb.cells)
    for (const o of c.outputs ?? []) {
      const keys = o.output_type === "stream" ? [`stream:${o.name}`] : Object.keys(o.data ?? {});
      if (o.output_type === "error") keys.push("error");
      for (const k of keys) n[k] = (n[k] ?? 0) + 1;
    }
  return n;
}

/**
 * What is wrong with an executed notebook that raised no error: fewer outputs of a kind than its
 * metadata.w4s4.expect asks for, or a JavaScript stack trace printed on stderr (a run that "succeeded"
 * with a trace in it, like tslab's "Socket is closed", reads as broken to a reader).
 */
export function checkExpectations(nb: NbJson, counts = countOutputs(nb)): string[] {
  const exp = nb.metadata?.w4s4?.expect ?? {};
  const found = Object.entries(exp)
    .filter(([k, v]) => (counts[k] ?? 0) < v)
    .map(([k, v]) => `expected at least ${v} output(s) of ${k}, found ${counts[k] ?? 0}`);
  let code = 0;
  for (const c of nb.cells) {
    if (c.cell_type !== "code") continue;
    code++;
    for (const o of c.outputs ?? []) {
      const text = o.output_type === "stream" && o.name === "stderr" ? [o.text ?? ""].flat().join("") : "";
      const trace = text.match(/^.*\n\s+at .+:\d+:\d+\)?$/m);
      if (trace) found.push(`cell ${code} printed a stack trace on stderr: ${trace[0].split("\n")[0].slice(0, 200)}`);
    }
  }
  return found;
}

export interface RunNotebooksOptions {
  size: string;
  /** Directory for the executed copies (and a results.json summary). */
  out: string;
  /** Seconds per cell. */
  timeout: number;
  notebooks: string[];
  /**
   * When given, notebook `x.ipynb` runs with W4S4_RESULTS_DIR=<resultsRoot>/x (emptied first), where
   * src/paper/results.ts saves its charts, tables and paper-vs-ours rows (the paper run).
   */
  resultsRoot?: string;
  /** Called before / after each notebook (k is 0-based, n the count), e.g. for progress lines. */
  onStart?: (nbPath: string, k: number, n: number) => void;
  onDone?: (result: NotebookResult, k: number, n: number) => void;
}

/** Results directory of one notebook under a results root: <root>/<basename without .ipynb>. */
export function notebookResultsDir(resultsRoot: string, nbPath: string): string {
  return join(resultsRoot, basename(nbPath).replace(/\.ipynb$/, ""));
}

export function runNotebooks(opts: RunNotebooksOptions): NotebookResult[] {
  const size = parseSize(opts.size, "--size");
  if (!existsSync(join(root, ".jupyter/share/jupyter/kernels/tslab/kernel.json"))) {
    const r = spawnSync("bash", [join(root, "scripts/nb-install.sh")], { stdio: "inherit" });
    if (r.status !== 0) throw new Error("Could not register the tslab kernel; run `bash scripts/setup.sh`.");
  }
  const env = { ...process.env, W4S4_SIZE: size, JUPYTER_PATH: join(root, ".jupyter/share/jupyter") };
  const results: NotebookResult[] = [];
  opts.notebooks.forEach((nbPath, k) => {
    const out = join(opts.out, basename(nbPath));
    opts.onStart?.(nbPath, k, opts.notebooks.length);
    console.error(`==> [${k + 1}/${opts.notebooks.length}] ${nbPath} (W4S4_SIZE=${size})`);
    let nbEnv: NodeJS.ProcessEnv = env;
    if (opts.resultsRoot) {
      const dir = resolve(notebookResultsDir(opts.resultsRoot, nbPath));
      rmSync(dir, { recursive: true, force: true }); // no stale charts from an earlier run
      nbEnv = { ...env, W4S4_RESULTS_DIR: dir };
    }
    const t0 = Date.now();
    // stderr streams live (the executor's per-cell and heartbeat lines); its failure report comes back in a file.
    const errFile = join(tmpdir(), `w4s4-nb-${process.pid}-${k}.err`);
    rmSync(errFile, { force: true });
    const r = spawnSync(jupyterPython(root), [join(root, "scripts/execute_notebook.py"), nbPath, out, "--timeout", String(opts.timeout), "--error-file", errFile], {
      env: nbEnv,
      stdio: ["ignore", "inherit", "inherit"],
    });
    const report = existsSync(errFile) ? readFileSync(errFile, "utf8") : "";
    rmSync(errFile, { force: true });
    const seconds = (Date.now() - t0) / 1000;
    let error: string | undefined;
    let outputs: Record<string, number> = {};
    if (r.status !== 0) error = report.trim() || `executor exited with ${r.status ?? r.signal} (its stderr is above)`;
    if (existsSync(out)) {
      const nb = JSON.parse(readFileSync(out, "utf8")) as NbJson;
      outputs = countOutputs(nb);
      if (!error) {
        const missing = checkExpectations(nb, outputs);
        if (missing.length) error = `NOTEBOOK FAILED: ${nbPath}: ${missing.join("; ")}`;
      }
    }
    if (error && !error.startsWith("NOTEBOOK FAILED")) error = `NOTEBOOK FAILED: ${nbPath}: ${error}`;
    // The executor already printed the failing cell to stderr; repeat only our own findings.
    if (error && r.status === 0) console.error(error);
    const result: NotebookResult = { notebook: nbPath, output: out, ok: !error, seconds, error, outputs };
    results.push(result);
    opts.onDone?.(result, k, opts.notebooks.length);
  });
  writeFileAtomic(join(opts.out, "results.json"), JSON.stringify({ size, results }, null, 2) + "\n");
  return results;
}

/**
 * The notebooks named (resolved), or every notebook in notebooks/ sorted. Exits 2 naming a missing one.
 */
export function listNotebooks(named: string[] = []): string[] {
  const nbDir = join(root, "notebooks");
  const notebooks = named.length
    ? named.map((p) => resolve(p))
    : readdirSync(nbDir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => join(nbDir, f));
  for (const p of notebooks) if (!existsSync(p)) {
    console.error(`Invalid notebook: ${p} does not exist.`);
    process.exit(2);
  }
  return notebooks;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      size: { type: "string", default: process.env.W4S4_SIZE || "default" },
      out: { type: "string" },
      timeout: { type: "string", default: "1800" },
      inplace: { type: "boolean", default: false },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log("usage: npm run nb:run -- [--size small|default|full] [--out DIR] [--timeout SECONDS_PER_CELL] [--inplace] [notebook.ipynb ...]");
    return;
  }
  const size = parseSize(values.size, "--size");
  const timeout = Number(values.timeout);
  if (!Number.isInteger(timeout) || timeout < 1) {
    console.error(`Invalid --timeout: got ${JSON.stringify(values.timeout)}; allowed: an integer number of seconds >= 1.`);
    process.exit(2);
  }
  const notebooks = listNotebooks(positionals);
  const out = resolve(values.out ?? join(root, ".nbout", size));
  const t0 = Date.now();
  const results = runNotebooks({ size, out, timeout, notebooks });
  const failed = results.filter((r) => !r.ok);
  if (values.inplace) {
    for (const r of results) if (r.ok) writeFileAtomic(r.notebook, readFileSync(r.output));
  }
  console.error(
    `\n${results.length - failed.length} of ${results.length} notebooks ran (size ${size}) in ${((Date.now() - t0) / 1000).toFixed(0)}s; executed copies in ${out}`,
  );
  for (const f of failed) console.error(`FAILED ${basename(f.notebook)}`);
  process.exit(failed.length ? 1 : 0);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  }
}
