// The subcommand table. Modules load lazily so `w4s4 backend` doesn't pay for ml-matrix or vega.
import type { Command } from "./types.js";

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  backend: { summary: "print the active TensorFlow.js backend and what was tried", load: async () => (await import("./backend.js")).command },
};
