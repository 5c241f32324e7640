import { parseArgs } from "node:util";
import { ParameterError, requireInt } from "../errors.js";
import { DISCRETIZATIONS, discretize } from "../ssm/discretize.js";
import { denseKernel, MAX_KERNEL_LENGTH } from "../ssm/reference.js";
import { INIT_NAMES, denseInit, requireStateSize, parseReadout, readout, requireInitName } from "../ssm/registry.js";
import type { Discretization } from "../ssm/types.js";
import { initOptions, INIT_FLAGS, INIT_FLAGS_USAGE, num } from "./ssmArgs.js";
import type { Command } from "./types.js";
import { printJson } from "./output.js";

export const command: Command = {
  name: "kernel",
  summary: "the SSM convolution kernel K_l = C Ā^l B̄ of an init (float64 reference)",
  usage: `w4s4 kernel <name> --N <n> --dt <dt> --L <L> [--disc bilinear|zoh] [--readout bt|ones|dual:<x>] [--json]

<name>: ${INIT_NAMES.join(", ")}
${INIT_FLAGS_USAGE}
  --dt <dt>             step size (> 0)
  --L <L>               kernel length, 1..${MAX_KERNEL_LENGTH}
  --disc <method>       bilinear (default) or zoh
  --readout <C>         bt: C = Bᵀ (default); ones: C = 1; dual:<x>: the reconstruction functional at frame
                        coordinate x in [0, 1] (walrus, walrus-translated, legs, legt)
Prints {"kernel": [K_0, ..., K_{L-1}]}. Computed by dense matrix powers in float64 (stable for every init).`,
  run: (argv) =>
    (async () => {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: { ...INIT_FLAGS, dt: { type: "string" }, L: { type: "string" }, disc: { type: "string", default: "bilinear" }, readout: { type: "string", default: "bt" }, json: { type: "boolean" } },
      });
      if (positionals.length !== 1) throw new ParameterError("<name>", `exactly one init name: ${INIT_NAMES.join(", ")}`, positionals.join(" "));
      const name = requireInitName(positionals[0]);
      const opts = initOptions(values);
      const dt = num("dt", values.dt, true)!;
      const L = requireInt("--L", num("L", values.L, true), 1, MAX_KERNEL_LENGTH);
      requireStateSize(name, opts.N, true);
      const disc = values.disc as Discretization;
      if (!DISCRETIZATIONS.includes(disc)) throw new ParameterError("--disc", `one of ${DISCRETIZATIONS.join(", ")}`, disc);
      const spec = parseReadout(values.readout!);
      const ssm = denseInit(name, opts);
      const C = readout(ssm, spec);
      const K = denseKernel(discretize(ssm, dt, disc), C, L);
      await printJson({ kernel: Array.from(K) });
      return 0;
    })(),
};
