// Versions of the packages that shape numbers and speed, for notebooks, reports and bench logs.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./paths.js";

export const KEY_PACKAGES = [
  "@tensorflow/tfjs",
  "@tensorflow/tfjs-backend-wasm",
  "@tensorflow/tfjs-node-gpu",
  "danfojs-node",
  "vega",
  "vega-lite",
  "ml-matrix",
  "fft.js",
  "tslab",
] as const;

/** Installed version of each package ("not installed" when absent), plus Node itself. */
export function packageVersions(pkgs: readonly string[] = KEY_PACKAGES): Record<string, string> {
  const root = projectRoot();
  const out: Record<string, string> = { node: process.versions.node };
  for (const p of pkgs) {
    const f = join(root, "node_modules", p, "package.json");
    out[p] = existsSync(f) ? (JSON.parse(readFileSync(f, "utf8")) as { version: string }).version : "not installed";
  }
  return out;
}
