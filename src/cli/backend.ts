import { parseArgs } from "node:util";
import { initBackend, backendLine, BACKENDS, type BackendName } from "../backend.js";
import { ParameterError } from "../errors.js";
import type { Command } from "./types.js";

export const command: Command = {
  name: "backend",
  summary: "print the TensorFlow.js backend this machine runs on, and what was tried",
  usage: `w4s4 backend [--backend auto|${BACKENDS.join("|")}] [--json]

Selects the backend as the library does (W4S4_BACKEND or --backend forces one; forcing one that is
not available exits 1 naming it) and prints a one-line report, or JSON with --json.`,
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: { backend: { type: "string" }, json: { type: "boolean" } } });
    try {
      const info = await initBackend({ backend: values.backend as BackendName | "auto" | undefined });
      console.log(values.json ? JSON.stringify(info, null, 2) : backendLine(info));
      return 0;
    } catch (e) {
      console.error(e instanceof Error ? e.message : String(e));
      return e instanceof ParameterError ? 2 : 1;
    }
  },
};
