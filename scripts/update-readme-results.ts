// Put the paper run's paper-vs-ours table into README.md, between <!-- results:begin --> and
// <!-- results:end --> (the markers stay; nothing outside them changes).
//   npm run paper:readme -- <out> [--readme PATH]      (out: the paper run's directory)
// Reads <out>/results.md and <out>/results.json (size, date, backend). Exit 1 when the markers are
// missing, 2 on bad arguments.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { writeFileAtomic } from "../src/io/atomic.js";
import { readmeResultsSection, replaceBetweenMarkers } from "../src/report/readme.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Update `readmePath` from the paper run in `outDir`; returns the new README text. */
export function updateReadmeResults(outDir: string, readmePath: string): string {
  const md = join(outDir, "results.md");
  const js = join(outDir, "results.json");
  for (const f of [md, js]) if (!existsSync(f)) throw new Error(`${f} is missing; run \`npm run paper\` first.`);
  const meta = JSON.parse(readFileSync(js, "utf8")) as { size?: string; date?: string; backend?: string };
  const section = readmeResultsSection(
    { size: meta.size ?? "?", date: meta.date ?? new Date().toISOString(), backend: meta.backend ?? "unknown" },
    readFileSync(md, "utf8"),
  );
  const text = replaceBetweenMarkers(readFileSync(readmePath, "utf8"), section);
  writeFileAtomic(readmePath, text);
  return text;
}

function main(): number {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { readme: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (values.help || positionals.length !== 1) {
    console.error("usage: npm run paper:readme -- <out> [--readme README.md]   (out: the paper run's directory)");
    return values.help ? 0 : 2;
  }
  const readme = resolve(values.readme ?? join(root, "README.md"));
  updateReadmeResults(resolve(positionals[0]), readme);
  console.error(`updated the results section of ${readme} from ${resolve(positionals[0])}`);
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main();
  } catch (e) {
    console.error(`paper:readme FAILED: ${e instanceof Error ? e.message : e}`);
    process.exitCode = 1;
  }
}
