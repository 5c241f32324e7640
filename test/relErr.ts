// The tolerance measure of the equivalence tests: max |a − ref| / max |ref|, after checking that
// every entry of `a` is finite and that `ref` is not all zeros (either would make the ratio vacuous).
import { expect } from "vitest";

export function relErr(a: ArrayLike<number>, ref: ArrayLike<number>): number {
  expect(a.length).toBe(ref.length);
  let e = 0, m = 0;
  for (let i = 0; i < ref.length; i++) {
    expect(Number.isFinite(a[i]), `entry ${i} is ${a[i]}`).toBe(true);
    e = Math.max(e, Math.abs(a[i] - ref[i]));
    m = Math.max(m, Math.abs(ref[i]));
  }
  expect(m).toBeGreaterThan(0);
  return e / m;
}
