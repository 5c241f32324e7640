// The PyTorch side of the benchmark: bench/torch_s4d.py as a long-lived child, driven one call at a
// time so ours and PyTorch alternate on the same machine state.
import { spawn, spawnSync, type ChildProcessByStdio } from "node:child_process";
import type { Readable, Writable } from "node:stream";
import { createInterface, type Interface } from "node:readline";
import { join } from "node:path";
import { projectRoot } from "../src/paths.js";
import { wasmThreadCount } from "../src/wasmThreads.js";
import type { Case } from "./cases.js";

export const TORCH_PYTHON = process.env.W4S4_TORCH_PYTHON ?? "/usr/bin/python3";

export class TorchServer {
  private lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessByStdio<Writable, Readable, null>, rl: Interface, readonly version: string, readonly threads: number, readonly device: string) {
    this.lines = rl[Symbol.asyncIterator]();
  }

  /** Start the server, or undefined (with the reason on stderr) when PyTorch is not installed. */
  static async start(): Promise<TorchServer | undefined> {
    if (spawnSync(TORCH_PYTHON, ["-c", "import torch"]).status !== 0) {
      console.error(`(PyTorch not importable from ${TORCH_PYTHON}: \`apt-get install python3-torch\` for the side-by-side ratios)`);
      return undefined;
    }
    // PyTorch gets the threads ours gets (wasmThreadCount: every core up to 8), unless TORCH_THREADS says otherwise.
    const threads = process.env.TORCH_THREADS ?? String(wasmThreadCount());
    if (!/^[1-9][0-9]*$/.test(threads)) throw new Error(`Invalid TORCH_THREADS: got "${threads}"; allowed: an integer >= 1`);
    const child = spawn(TORCH_PYTHON, [join(projectRoot(), "bench/torch_s4d.py")], { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, TORCH_THREADS: threads } });
    const rl = createInterface({ input: child.stdout });
    const it = rl[Symbol.asyncIterator]();
    const first = await it.next();
    if (first.done) throw new Error("bench/torch_s4d.py exited before saying hello");
    const hello = JSON.parse(first.value) as { torch: string; threads: number; device: string };
    const s = new TorchServer(child, rl, hello.torch, hello.threads, hello.device);
    s.lines = it;
    return s;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private async ask(msg: object): Promise<Record<string, unknown>> {
    this.child.stdin.write(JSON.stringify(msg) + "\n");
    const r = await this.lines.next();
    if (r.done) throw new Error("bench/torch_s4d.py exited");
    return JSON.parse(r.value) as Record<string, unknown>;
  }

  async setup(c: Case): Promise<void> {
    await this.ask({ cmd: "setup", case: { op: c.op, shape: c.shape } });
  }

  /** One turn: an untimed call, then the mean ms of `n` calls back to back (timed inside Python: no pipe latency). */
  async run(n = 1): Promise<number> {
    return (await this.ask({ cmd: "run", n })).ms as number;
  }

  close(): void {
    this.child.stdin.end(JSON.stringify({ cmd: "quit" }) + "\n");
  }
}
