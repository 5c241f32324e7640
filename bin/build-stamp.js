// The stamp that ties a compiled build (dist/, `npm run build`) to the sources it was made from, and
// the check bin/w4s4.js runs before trusting it. Plain JavaScript: it must run before any TypeScript
// loader. Inputs are every src/**/*.ts plus the two tsconfigs. The stamp keeps each input's size,
// mtime and SHA-256 as read at the start of the build: a start-up check then only stats the files
// (a few ms) and hashes just those whose size or mtime moved (a touch or a checkout that changed
// nothing still counts as fresh). Any added, removed or edited input makes the build stale.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";

export const STAMP_FILE = "build-stamp.json";
const STAMP_VERSION = 1;
const CONFIGS = ["tsconfig.json", "tsconfig.build.json"];

/** Project-relative paths (forward slashes, sorted) of everything the build compiles from. */
export function buildInputs(root) {
  const src = join(root, "src");
  const ts = readdirSync(src, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith(".ts") && !d.name.endsWith(".d.ts"))
    .map((d) => relative(root, join(d.parentPath ?? d.path, d.name)).split(sep).join("/"));
  return [...CONFIGS, ...ts.sort()];
}

const sha256 = (file) => createHash("sha256").update(readFileSync(file)).digest("hex");

/** The stamp of the inputs as they are now (taken before compiling, so a later edit reads as stale). */
export function takeStamp(root) {
  const files = {};
  for (const f of buildInputs(root)) {
    const st = statSync(join(root, f));
    files[f] = { size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(join(root, f)) };
  }
  return { version: STAMP_VERSION, node: process.version, files };
}

/**
 * Whether the build in `outDir` matches the inputs under `root`: { fresh: true }, or { fresh: false,
 * reason } naming the first input that differs; { fresh: false, missing: true } when there is no
 * build at all (nothing to warn about).
 */
export function checkStamp(root, outDir) {
  let stamp;
  try {
    statSync(join(outDir, "src", "cli.js"));
  } catch {
    return { fresh: false, missing: true, reason: `no compiled CLI in ${outDir}` };
  }
  try {
    stamp = JSON.parse(readFileSync(join(outDir, STAMP_FILE), "utf8"));
  } catch {
    return { fresh: false, reason: `${STAMP_FILE} is missing or unreadable (an interrupted build?)` };
  }
  if (stamp?.version !== STAMP_VERSION || typeof stamp.files !== "object") return { fresh: false, reason: `${STAMP_FILE} is of another format` };
  const now = buildInputs(root);
  const was = Object.keys(stamp.files);
  const added = now.find((f) => !(f in stamp.files));
  if (added) return { fresh: false, reason: `${added} was added since the build` };
  if (was.length !== now.length) return { fresh: false, reason: `${was.find((f) => !now.includes(f))} was removed since the build` };
  for (const f of now) {
    const s = stamp.files[f];
    const st = statSync(join(root, f));
    if (st.size === s.size && st.mtimeMs === s.mtimeMs) continue;
    if (st.size !== s.size || sha256(join(root, f)) !== s.sha256) return { fresh: false, reason: `${f} changed since the build` };
  }
  return { fresh: true };
}
