#!/usr/bin/env node
// Runs the compiled CLI (dist/src/cli.js, made by `npm run build` and at set-up) when its stamp
// matches src/, else the TypeScript sources through tsx (~0.7 s more per call, compiling). A stale
// build is never run: one line on stderr says so and tsx runs the current sources instead; with no
// build at all tsx runs silently. W4S4_DIST=<dir> runs the build in <dir>; W4S4_DIST=off always uses
// tsx. W4S4_DEBUG=1 also says which path ran. runCli exits only after stdout and stderr have
// drained, so piped output is never cut short.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { checkStamp } from "./build-stamp.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const want = process.env.W4S4_DIST ?? "";
const dist = want.toLowerCase() === "off" ? undefined : resolve(root, want || "dist");
const debug = (line) => process.env.W4S4_DEBUG && console.error(`w4s4: ${line}`);

let cli;
if (dist) {
  let check;
  try {
    check = checkStamp(root, dist);
  } catch (e) {
    check = { fresh: false, reason: `its stamp could not be checked: ${e.message}` };
  }
  if (check.fresh) {
    // Before any command loads: worker threads then start from the compiled entry files too.
    const { setCompiledDir } = await import(pathToFileURL(join(dist, "src/paths.js")).href);
    setCompiledDir(dist);
    debug(`running the compiled CLI in ${dist}`);
    cli = await import(pathToFileURL(join(dist, "src/cli.js")).href);
  } else if (!check.missing) {
    console.error(`w4s4: the compiled CLI in ${dist} is stale (${check.reason}); running src/ through tsx instead. \`npm run build\` refreshes it.`);
  }
}
if (!cli) {
  debug("running src/cli.ts through tsx");
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../src/cli.ts");
}
await cli.runCli(process.argv.slice(2));
