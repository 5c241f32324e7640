// npm run gpu:bundle [-- --out DIR]   (default .gpu-bundle/, git-ignored)
// Everything scripts/gpu-check.sh needs on a bare GPU machine with no network and no Node, in one
// folder under 64 MiB (the device tool carries at most that):
//   gpu-check.mjs        scripts/gpu-check.ts bundled by esbuild (library, bench, tfjs, webgpu backend)
//   node.xz              this machine's node binary, xz-compressed
//   node_modules/webgpu  the `webgpu` package's JS, and dawn.node.xz (Dawn, linux-x64)
//   debs/libvulkan1_*.deb  the Vulkan loader from Debian (gpu-check.sh unpacks it if the machine has none)
//   bench/torch_s4d.py   the PyTorch side of the bench; package.json marks the folder as the project root
//   manifest.json        commit, versions, and the size and SHA-256 of every file (gpu-check.sh verifies)
// The folder is built beside the target and renamed into place, so a failed build leaves the old one.
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../src/paths.js";

const LIMIT_BYTES = 64 * 2 ** 20;

function sh(cmd: string, args: string[], opts: { cwd?: string } = {}): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: opts.cwd, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (${r.status}): ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 500)}`);
  return r.stdout;
}

function xz(src: string, dst: string): void {
  writeFileSync(dst, execFileSync("xz", ["-6", "-T0", "-c", src], { maxBuffer: 1 << 28 }));
}

/** The Vulkan loader .deb, downloaded with a private package list (no root, nothing installed). */
function downloadVulkanLoader(into: string): string {
  const state = join(into, ".apt");
  mkdirSync(join(state, "lists", "partial"), { recursive: true });
  const o = ["-oAPT::Architecture=amd64", "-oAPT::Architectures=amd64", `-oDir::State::Lists=${join(state, "lists")}`, `-oDir::Cache=${join(state, "cache")}`];
  sh("apt-get", [...o, "update", "-qq"]);
  sh("apt-get", [...o, "download", "-qq", "libvulkan1"], { cwd: into });
  rmSync(state, { recursive: true, force: true });
  const deb = readdirSync(into).find((f) => /^libvulkan1_.*_amd64\.deb$/.test(f));
  if (!deb) throw new Error("apt-get download libvulkan1 produced no .deb");
  return deb;
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { out: { type: "string", default: ".gpu-bundle" } } });
  const root = projectRoot();
  const out = join(root, values.out!);
  if (process.platform !== "linux" || process.arch !== "x64") throw new Error(`gpu:bundle builds for linux-x64 (the GPU machine); this is ${process.platform}-${process.arch}`);
  const dawn = join(root, "node_modules/webgpu/dist/linux-x64/dawn.node");
  if (!existsSync(dawn)) throw new Error("node_modules/webgpu is not installed (it is an optional dependency: npm ci installs it on linux-x64)");
  const tmp = `${out}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, "node_modules/webgpu/dist/linux-x64"), { recursive: true });
  mkdirSync(join(tmp, "debs"), { recursive: true });
  mkdirSync(join(tmp, "bench"), { recursive: true });
  try {
    console.error("==> esbuild scripts/gpu-check.ts");
    await build({
      entryPoints: [join(root, "scripts/gpu-check.ts")],
      outfile: join(tmp, "gpu-check.mjs"),
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      minify: true,
      legalComments: "linked",
      // Native or absent at run time: loaded by name from the bundle's node_modules (or not at all).
      // plotly: danfo (bench table) requires it only for plotting, which the check never does.
      external: ["webgpu", "@tensorflow/tfjs-node-gpu", "plotly.js-dist-min"],
      // As in package.json's overrides: danfo's tfjs-node is plain tfjs (one tfjs in the bundle).
      alias: { "@tensorflow/tfjs-node": "@tensorflow/tfjs" },
      // CommonJS dependencies inside an ES module bundle need a require.
      banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
      logLevel: "warning",
    });
    console.error("==> node binary, dawn.node (xz)");
    xz(process.execPath, join(tmp, "node.xz"));
    xz(dawn, join(tmp, "node_modules/webgpu/dist/linux-x64/dawn.node.xz"));
    for (const f of ["index.js", "package.json", "LICENSE.md"]) copyFileSync(join(root, "node_modules/webgpu", f), join(tmp, "node_modules/webgpu", f));
    console.error("==> libvulkan1 (apt-get download)");
    const deb = downloadVulkanLoader(join(tmp, "debs"));
    copyFileSync(join(root, "bench/torch_s4d.py"), join(tmp, "bench/torch_s4d.py"));
    writeFileSync(join(tmp, "package.json"), JSON.stringify({ name: "w4s4-workbench", private: true, type: "module", description: "GPU-check bundle (npm run gpu:bundle)" }, null, 2) + "\n");
    const files = Object.fromEntries(
      walk(tmp)
        .sort()
        .map((p) => [relative(tmp, p), { bytes: statSync(p).size, sha256: createHash("sha256").update(readFileSync(p)).digest("hex") }]),
    );
    const total = Object.values(files).reduce((s, f) => s + f.bytes, 0);
    let commit = "unknown";
    try {
      commit = sh("git", ["-C", root, "rev-parse", "HEAD"]).trim() + (sh("git", ["-C", root, "status", "--porcelain"]).trim() ? " (with uncommitted changes)" : "");
    } catch {
      /* not a git checkout */
    }
    const manifest = { commit, date: new Date().toISOString(), node: process.version, webgpu: JSON.parse(readFileSync(join(root, "node_modules/webgpu/package.json"), "utf8")).version, vulkanLoader: deb, totalBytes: total, files };
    writeFileSync(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    if (total > LIMIT_BYTES) throw new Error(`the bundle is ${(total / 2 ** 20).toFixed(1)} MiB, over the ${LIMIT_BYTES / 2 ** 20} MiB the device tool carries`);
    const replaced = existsSync(out);
    rmSync(out, { recursive: true, force: true });
    mkdirSync(dirname(out), { recursive: true });
    renameSync(tmp, out);
    console.error(`==> ${relative(root, out) || out}: ${Object.keys(files).length + 1} files, ${(total / 2 ** 20).toFixed(1)} MiB${replaced ? " (replaced the previous bundle)" : ""}`);
    for (const [f, m] of Object.entries(files)) console.error(`    ${(m.bytes / 2 ** 20).toFixed(2).padStart(6)} MiB  ${f}`);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
