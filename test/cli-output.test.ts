// Piped output is never cut short: a large JSON through a slow reader, 50 times, byte for byte equal
// to the same command written to a file (Node writes pipes asynchronously; exiting too early used to
// cut it at 64 KiB with exit code 0). A reader that leaves early (`head -c`) gets no stack trace.
import { describe, expect, it } from "vitest";
import { exec, execSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const sh = promisify(exec);
const dir = mkdtempSync(join(tmpdir(), "w4s4-pipe-"));
const CMD = "init legs --N 256 --json"; // ~700 kB, eleven times the pipe buffer
// Sleeps before reading, so the pipe is full when the CLI finishes computing.
const SLOW_READER = `python3 -c "import sys,time,hashlib; time.sleep(0.3); d=sys.stdin.buffer.read(); print(len(d), hashlib.sha256(d).hexdigest())"`;

describe("piped CLI output", () => {
  it("bin/w4s4.js: 50 of 50 piped runs equal the file write, byte for byte", async () => {
    execSync(`node bin/w4s4.js ${CMD} > ${join(dir, "ref.json")}`);
    const ref = readFileSync(join(dir, "ref.json"));
    JSON.parse(ref.toString("utf8"));
    const want = execSync(`${SLOW_READER} < ${join(dir, "ref.json")}`, { encoding: "utf8" }).trim();
    expect(Number(want.split(" ")[0])).toBeGreaterThan(1 << 19);
    const got: string[] = [];
    for (let round = 0; round < 50 / 5; round++) {
      const r = await Promise.all(Array.from({ length: 5 }, () => sh(`set -o pipefail; node bin/w4s4.js ${CMD} | ${SLOW_READER}`, { shell: "/bin/bash" })));
      got.push(...r.map((x) => x.stdout.trim()));
    }
    expect(got.filter((g) => g !== want)).toEqual([]);
    expect(got).toHaveLength(50);
  }, 300_000);

  it("npm run w4s4: piped output equals the file write", async () => {
    const want = execSync(`${SLOW_READER} < ${join(dir, "ref.json")}`, { encoding: "utf8" }).trim();
    for (let i = 0; i < 3; i++) {
      const r = await sh(`set -o pipefail; npm run -s w4s4 -- ${CMD} | ${SLOW_READER}`, { shell: "/bin/bash" });
      expect(r.stdout.trim()).toBe(want);
    }
  }, 120_000);

  it("a reader that stops early (head -c 100) ends the CLI quietly with exit 0", async () => {
    const r = await sh(`node bin/w4s4.js ${CMD} | head -c 100 > /dev/null; echo "rc=\${PIPESTATUS[0]}"`, { shell: "/bin/bash" });
    expect(r.stdout.trim()).toBe("rc=0");
    // Only the bin's notice may be there, when dist/ is older than src/ (bin/w4s4.js).
    expect(r.stderr.replace(/^w4s4: the compiled CLI in .* is stale .*\n/, "")).toBe("");
  }, 60_000);
});
