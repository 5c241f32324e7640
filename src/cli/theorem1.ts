import { parseArgs } from "node:util";
import { theorem1Check } from "../ssm/theorem1.js";
import { requireStateSize } from "../ssm/registry.js";
import { initOptions, INIT_FLAGS, INIT_FLAGS_USAGE } from "./ssmArgs.js";
import type { Command } from "./types.js";
import { printJson } from "./output.js";

export const THEOREM1_FIELDS = ["Nf", "naturalRank", "nUnit", "nNontrivial", "minAbsNontrivial", "maxAbs", "condVReduced", "condVFull", "maxUnitVisibility"] as const;

export const command: Command = {
  name: "theorem1",
  summary: "check W4S4 Theorem 1 on a WaLRUS frame (unit eigenvalues, visibility, conditioning)",
  usage: `w4s4 theorem1 --N <n> [--wavelet db11] [--natural-rank] [--json] [--translated]

${INIT_FLAGS_USAGE}
  --translated          the translated measure (trivial eigenvalue 0 instead of 1)
  --json                JSON (default): ${THEOREM1_FIELDS.join(", ")}
Eigenvalues are in SaFARi sign (A_pos = −A), as in walrus-math.md §5.2.`,
  run: (argv) =>
    (async () => {
      const { values } = parseArgs({ args: argv, options: { ...INIT_FLAGS, json: { type: "boolean" }, translated: { type: "boolean" } } });
      const o = initOptions(values);
      requireStateSize(values.translated ? "walrus-translated" : "walrus", o.N);
      const r = theorem1Check({ ...o, measure: values.translated ? "translated" : "scaled" });
      const out: Record<string, number> = {};
      for (const f of THEOREM1_FIELDS) out[f] = r[f];
      await printJson(out);
      return 0;
    })(),
};
