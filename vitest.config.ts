import { defineConfig } from "vitest/config";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores in CI: keep forks low so timing-sensitive suites don't starve each other.
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "./scripts/summary-reporter.ts"],
    // One fresh disk cache per test run (shared by its workers and the notebooks they execute), so a
    // run never depends on what an earlier run or another checkout left in .cache/.
    env: { W4S4_CACHE_DIR: join(tmpdir(), `w4s4-test-cache-${process.pid}-${Date.now()}`) },
  },
});
