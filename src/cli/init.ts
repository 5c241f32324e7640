import { parseArgs } from "node:util";
import { join } from "node:path";
import { mkdirSync } from "node:fs";
import { ParameterError } from "../errors.js";
import { printJson } from "./output.js";
import { requireOutputDir } from "./outPaths.js";
import { eigGeneral } from "../linalg/eig.js";
import { allEigenvalues } from "../ssm/diagonal.js";
import { INIT_NAMES, INITS, MAX_DENSE_N, denseInit, diagonalInit, requireInitName, requireStateSize } from "../ssm/registry.js";
import { initOptions, INIT_FLAGS, INIT_FLAGS_USAGE } from "./ssmArgs.js";
import { writeNpy } from "./npy.js";
import type { Command } from "./types.js";


/** All N eigenvalues of an init as [re, im], sorted by imaginary part then real part. */
export function initEigenvalues(name: string, ssm: ReturnType<typeof denseInit>, opts: ReturnType<typeof initOptions>): [number, number][] {
  // S4D inits: exact from their definition; dense inits: float64 eigendecomposition of A.
  if (INITS[requireInitName(name)].form === "diagonal") return allEigenvalues(diagonalInit(name, opts));
  const e = eigGeneral(ssm.A);
  return Array.from(e.re, (r, k) => [r, e.im[k]] as [number, number]).sort((a, b) => a[1] - b[1] || a[0] - b[0]);
}

export const command: Command = {
  name: "init",
  summary: "build an initialization (A, B, eigenvalues) as JSON or .npy files",
  usage: `w4s4 init <name> --N <n> [--wavelet db11] [--json | --npy <dir>]

<name>: ${INIT_NAMES.join(", ")}
${INIT_FLAGS_USAGE}
                        N limits (dense output): ${INIT_NAMES.map((n) => `${n} ${Math.min(INITS[n].maxN, MAX_DENSE_N)}`).join(", ")}
  --json                JSON on stdout (default): {name, N, A (rows, S4 sign x' = Ax + Bu), B, eigenvalues ([re, im], sorted by imaginary then real part)}
  --npy <dir>           write A.npy, B.npy (float64) and eigenvalues.npy (complex128) into <dir>

For the diagonal S4D inits, A is the real block-diagonal form of the conjugate pairs.`,
  run: (argv) =>
    (async () => {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { ...INIT_FLAGS, json: { type: "boolean" }, npy: { type: "string" } },
      });
      if (positionals.length !== 1) throw new ParameterError("<name>", `exactly one init name: ${INIT_NAMES.join(", ")}`, positionals.join(" "));
      const name = requireInitName(positionals[0]);
      if (values.json && values.npy) throw new ParameterError("--json/--npy", "one of them", "both");
      const opts = initOptions(values);
      requireStateSize(name, opts.N, true);
      if (values.npy !== undefined) requireOutputDir("--npy", values.npy);
      const ssm = denseInit(name, opts);
      const eig = initEigenvalues(name, ssm, opts);
      if (values.npy) {
        const dir = values.npy;
        mkdirSync(dir, { recursive: true });
        const N = ssm.N;
        writeNpy(join(dir, "A.npy"), Float64Array.from(ssm.A.to1DArray()), [N, N]);
        writeNpy(join(dir, "B.npy"), Float64Array.from(ssm.B), [N]);
        writeNpy(join(dir, "eigenvalues.npy"), Float64Array.from(eig.flat()), [N], "<c16");
        console.log(`wrote ${name} (N = ${N}) to ${dir}/{A,B,eigenvalues}.npy`);
        return 0;
      }
      await printJson({ name, N: ssm.N, A: ssm.A.to2DArray(), B: Array.from(ssm.B), eigenvalues: eig, ...(ssm.meta ? { meta: ssm.meta } : {}) });
      return 0;
    })(),
};
