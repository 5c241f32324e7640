// The subcommand table. Modules load lazily so `w4s4 backend` doesn't pay for ml-matrix or vega.
import type { Command } from "./types.js";

export const COMMANDS: Record<string, { summary: string; load: () => Promise<Command> }> = {
  backend: { summary: "print the active TensorFlow.js backend and what was tried", load: async () => (await import("./backend.js")).command },
  init: { summary: "build an initialization (A, B, eigenvalues) as JSON or .npy", load: async () => (await import("./init.js")).command },
  kernel: { summary: "the kernel K_l = C Ā^l B̄ of an init (float64 reference)", load: async () => (await import("./kernel.js")).command },
  theorem1: { summary: "check W4S4 Theorem 1 on a WaLRUS frame", load: async () => (await import("./theorem1.js")).command },
  train: { summary: "train a deep SSM classifier (W4S4 or an S4D init) with checkpoints and resume", load: async () => (await import("./train.js")).command },
  eval: { summary: "evaluate a training run's best checkpoint on a split", load: async () => (await import("./train.js")).evalCommand },
  converge: { summary: "WaLRUS grid convergence as G doubles (spectrum, cond V, transfer function, delay MSE)", load: async () => (await import("./converge.js")).command },
  delay: { summary: "the delay-reconstruction ablation (optimal readout log-MSE)", load: async () => (await import("./delay.js")).command },
};
