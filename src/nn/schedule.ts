// Learning-rate schedule: linear warmup then cosine decay to `minScale`, as a multiplier of each
// group's base lr, evaluated per optimizer step.
// Porting note: example.py steps CosineAnnealingLR once per epoch with no warmup; the state-spaces/s4
// trainer (configs/scheduler/cosine_warmup) uses timm's per-step cosine with warmup. We follow the
// latter; warmupSteps = 0 and a per-epoch count reproduce the former up to within-epoch steps.
import { requireFinite, requireInt } from "../errors.js";

export interface CosineScheduleArgs {
  /** Total optimizer steps. Required. */
  totalSteps: number;
  /** Linear warmup steps from 0. Default 0. */
  warmupSteps?: number;
  /** Final multiplier. Default 0 (torch's eta_min = 0). */
  minScale?: number;
}

export function cosineWithWarmup(a: CosineScheduleArgs): (step: number) => number {
  const total = requireInt("totalSteps", a.totalSteps, 1);
  const warm = requireInt("warmupSteps", a.warmupSteps ?? 0, 0, total);
  const lo = requireFinite("minScale", a.minScale ?? 0, { min: 0, max: 1 });
  // `step` counts from 0 for the first update.
  return (step: number) => {
    if (step < warm) return (step + 1) / (warm + 1);
    const p = Math.min(1, (step - warm) / Math.max(1, total - warm));
    return lo + (1 - lo) * 0.5 * (1 + Math.cos(Math.PI * p));
  };
}
