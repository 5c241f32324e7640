// npm run build: compile src/ to dist/src (tsconfig.build.json) for bin/w4s4.js, with the stamp that
// lets the bin check the build is of the current sources (bin/build-stamp.js). Compiles into a
// sibling folder and swaps it in, so a failed build leaves the previous one, and its stamp, as it was.
//   node scripts/build.mjs [--out-dir DIR] [--if-stale]   (default: dist under the project root;
//   --if-stale: nothing to do when the build there is of the current sources, as set-up re-runs)
import { spawnSync } from "node:child_process";
import { existsSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { STAMP_FILE, checkStamp, takeStamp } from "../bin/build-stamp.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({ options: { "out-dir": { type: "string" }, "if-stale": { type: "boolean" } } });
const out = resolve(root, values["out-dir"] ?? "dist");
if (out === root || root.startsWith(out + "/")) {
  console.error(`--out-dir: a folder inside or beside the project, not ${out}`);
  process.exit(2);
}

if (values["if-stale"] && checkStamp(root, out).fresh) {
  console.log(`${out} is up to date`);
  process.exit(0);
}

const t0 = Date.now();
// Taken before compiling: an edit made while tsc runs then reads as stale, never as built.
const stamp = takeStamp(root);
const partial = `${out}.partial-${process.pid}`;
rmSync(partial, { recursive: true, force: true });
// The real compiler by path: node_modules/.bin/tsc is tslab's 5.0.4 (docs/toolchain.md §1).
const tsc = spawnSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json"), "--outDir", partial], { cwd: root, stdio: "inherit" });
if (tsc.status !== 0) {
  rmSync(partial, { recursive: true, force: true });
  console.error(`build failed (tsc exit ${tsc.status ?? tsc.signal}); ${existsSync(out) ? `${out} left as it was` : "nothing built"}`);
  process.exit(1);
}
writeFileSync(join(partial, STAMP_FILE), JSON.stringify(stamp) + "\n");
const old = `${out}.old-${process.pid}`;
if (existsSync(out)) renameSync(out, old);
renameSync(partial, out);
rmSync(old, { recursive: true, force: true });
console.log(`built ${Object.keys(stamp.files).length - 2} src files into ${out} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
