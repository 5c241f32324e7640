// The benchmark's cases: which operations, at which shapes, and their FLOP counts (for the floor
// column: FLOPs over the backend's measured matmul rate). Shapes are the issue's: the S4D layer at
// B16 H128 N64 L1024, long sequences at L16000, the 4-layer training step of example.py's model,
// and the default fmnist preset's training step (its throughput in sequences per second).
import { PRESETS } from "../src/tasks/classification.js";

export type Shape = Record<string, number>;
export interface Case {
  op: string;
  shape: Shape;
  /** Group heading in the table. */
  group: "core" | "profile" | "train";
}

/** small: CI; full: the README's CPU table; gpu: the GPU check's rows, at the full shapes and at B×8. */
export const SIZES = ["small", "full", "gpu"] as const;
export type BenchSize = (typeof SIZES)[number];

/** The layer's parts, timed fwd+bwd each against a fixed cotangent (the profile). */
export const LAYER_PARTS = ["kernel", "conv", "skip_gelu", "proj_glu"] as const;

/** The GPU check's rows (scripts/gpu-check.sh): the full shapes, then each batched one at B×8. */
function gpuCases(): Case[] {
  const c = (op: string, shape: Shape, group: Case["group"] = "core"): Case => ({ op, shape, group });
  const rows: Case[] = [c("matmul", { n: 2048 }), c("kernel", { H: 256, N: 64, L: 4096 }), c("kernel", { H: 256, N: 64, L: 16384 }), c("kernel_fwd_bwd", { H: 256, N: 64, L: 4096 })];
  for (const s of [1, 8]) {
    rows.push(
      c("conv_fwd_bwd", { B: 16 * s, H: 128, L: 1024 }),
      c("conv_fwd_bwd", { B: 4 * s, H: 128, L: 16000 }),
      c("layer_fwd_bwd", { B: 16 * s, H: 128, N: 64, L: 1024 }),
      c("train_step", { B: 16 * s, L: 1024, H: 128, N: 64, layers: 4, dIn: 1, C: 10 }, "train"),
    );
  }
  return rows;
}

export function cases(size: BenchSize): Case[] {
  if (size === "gpu") return gpuCases();
  const full = size === "full";
  const c = (op: string, shape: Shape, group: Case["group"] = "core"): Case => ({ op, shape, group });
  const layer = { B: full ? 16 : 4, H: full ? 128 : 32, N: 64, L: 1024 };
  const fm = PRESETS.fmnist.default;
  return [
    c("matmul", { n: 512 }),
    ...(full ? [1024, 4096, 16384] : [1024]).map((L) => c("kernel", { H: full ? 256 : 64, N: 64, L })),
    c("kernel_fwd_bwd", { H: full ? 256 : 64, N: 64, L: full ? 4096 : 1024 }),
    c("conv", { B: layer.B, H: layer.H, L: 1024 }),
    c("conv_fwd_bwd", { B: layer.B, H: layer.H, L: 1024 }),
    ...(full ? [c("conv", { B: 4, H: 128, L: 16000 }), c("conv_fwd_bwd", { B: 4, H: 128, L: 16000 })] : []),
    c("layer_fwd_bwd", layer),
    ...LAYER_PARTS.map((p) => c(`layer:${p}`, layer, "profile")),
    c("train_step", { B: full ? 16 : 4, L: full ? 1024 : 256, H: full ? 128 : 32, N: 64, layers: 4, dIn: 1, C: 10 }, "train"),
    c("train_throughput", { B: fm.train.batchSize!, L: 784, H: fm.model.dModel!, N: fm.model.dState!, layers: fm.model.nLayers!, dIn: 1, C: 10 }, "train"),
  ];
}

const fftFlops = (n: number) => 5 * n * Math.log2(n); // complex FFT of size n; a real one is about half

export function flops(c: Case): number {
  const s = c.shape;
  const n = 2 ** Math.ceil(Math.log2(2 * (s.L ?? 1)));
  const kernel = s.H * (s.N / 2) * s.L * 8;
  const conv = s.B * s.H * (fftFlops(n) + 6 * n) + s.H * fftFlops(n) / 2;
  const proj = 2 * s.B * s.L * s.H * 2 * s.H;
  switch (c.op) {
    case "matmul": return 2 * s.n ** 3;
    case "kernel": return kernel;
    case "kernel_fwd_bwd": case "layer:kernel": return 3 * kernel;
    case "conv": return conv;
    case "conv_fwd_bwd": case "layer:conv": return 3 * conv;
    case "layer:proj_glu": return 3 * proj;
    case "layer_fwd_bwd": return 3 * (conv + kernel + proj);
    case "train_step": case "train_throughput": return s.layers * 3 * (conv + kernel + proj);
    default: return NaN;
  }
}

export const shapeText = (s: Shape) => Object.entries(s).map(([k, v]) => `${k}=${v}`).join(" ");
