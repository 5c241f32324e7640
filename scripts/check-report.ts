// Open the paper run's report.html in headless Chromium: take a screenshot and check, from the
// rendered DOM, that every chart's SVG made it into the page and was laid out.
//   npm run paper:check -- <out>        (out: the paper run's directory, e.g. out/paper-small)
// Uses Debian's chromium (/usr/bin/chromium, or $CHROMIUM); scripts/setup.sh installs it.
// Prints "report OK: N charts rendered, screenshot <path>"; exit 1 with the reason otherwise.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export interface DomCheck {
  ok: boolean;
  listed: number;
  rendered: number;
  problems: string[];
}

function count(s: string, re: RegExp): number {
  return (s.match(re) ?? []).length;
}

/** Compare the report's source with the DOM Chromium rendered from it. */
export function checkDom(source: string, dom: string): DomCheck {
  const problems: string[] = [];
  const meta = source.match(/<meta name="w4s4-charts" content="(\d+)">/);
  const listed = meta ? Number(meta[1]) : count(source, /<figure class="chart"/g);
  if (!meta) problems.push('report.html has no <meta name="w4s4-charts"> (not written by src/report/html.ts?)');
  const svgSource = count(source, /<svg[\s>]/g);
  const svgDom = count(dom, /<svg[\s>]/g);
  if (svgDom < svgSource) problems.push(`the page source has ${svgSource} <svg> elements but the rendered DOM only ${svgDom}`);
  const figures = [...dom.matchAll(/<figure class="chart"[^>]*>/g)].map((m) => m[0]);
  if (figures.length !== listed) problems.push(`the report lists ${listed} charts but the DOM has ${figures.length} chart figures`);
  const rendered = figures.filter((f) => /data-rendered="\d+x\d+"/.test(f)).length;
  if (rendered !== listed) {
    const missing = figures.filter((f) => !/data-rendered=/.test(f)).map((f) => f.match(/data-chart="(\d+)"/)?.[1] ?? "?");
    problems.push(`${listed - rendered} of ${listed} charts did not render with a non-zero size${missing.length ? ` (chart no. ${missing.join(", ")})` : ""}`);
  }
  if (!/data-charts-rendered="\d+"/.test(dom)) problems.push("the page's check script did not run (no data-charts-rendered on <body>)");
  return { ok: problems.length === 0, listed, rendered, problems };
}

/** Debian's chromium, or $CHROMIUM; a clear error naming what to install when neither is there. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter((x): x is string => !!x);
  const found = candidates.find((p) => existsSync(p));
  if (!found)
    throw new Error(
      `Chromium not found (looked at ${candidates.join(", ")}). Install it: apt-get install -y --no-install-recommends chromium ` +
        "(bash scripts/setup.sh does), or set CHROMIUM=/path/to/chromium.",
    );
  return found;
}

function chromium(bin: string, args: string[]): { stdout: string; stderr: string } {
  const r = spawnSync(
    bin,
    ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--virtual-time-budget=5000", ...args],
    { encoding: "utf8", timeout: 120_000, maxBuffer: 256 * 1024 * 1024 },
  );
  if (r.error) throw new Error(`chromium failed to run: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`chromium exited with ${r.status ?? r.signal}:\n${(r.stderr ?? "").trim().slice(-2000)}`);
  return { stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

function main(): number {
  const arg = process.argv.slice(2).filter((a) => a !== "--")[0];
  if (!arg || arg === "-h" || arg === "--help") {
    console.error("usage: npm run paper:check -- <out>   (the paper run's directory, containing report.html)");
    return arg ? 0 : 2;
  }
  const out = resolve(arg);
  const html = join(out, "report.html");
  if (!existsSync(html)) {
    console.error(`No report at ${html}; run \`npm run paper -- --out ${arg}\` first.`);
    return 2;
  }
  const bin = chromiumPath();
  const url = pathToFileURL(html).href;
  const png = join(out, "report.png");
  chromium(bin, [`--screenshot=${png}`, "--window-size=1200,4000", url]);
  if (!existsSync(png) || statSync(png).size === 0) throw new Error(`chromium wrote no screenshot at ${png}`);
  const { stdout: dom } = chromium(bin, ["--dump-dom", url]);
  if (!dom.includes("</html>") && !dom.includes("<body")) throw new Error("chromium's --dump-dom returned no document");
  const check = checkDom(readFileSync(html, "utf8"), dom);
  if (!check.ok) {
    console.error(`report FAILED (${html}):\n${check.problems.map((p) => `  - ${p}`).join("\n")}\nscreenshot: ${png}`);
    return 1;
  }
  console.log(`report OK: ${check.rendered} charts rendered, screenshot ${png}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(`report check FAILED: ${e instanceof Error ? e.message : e}`);
    process.exitCode = 1;
  }
}
