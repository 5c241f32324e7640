// How loaded the machine is while a row is timed. The 1-minute load average counts our own threads
// (the wasm pool and PyTorch's two) and so climbs to ~1.5 during an idle-machine run of this very
// benchmark; it says little about interference. What does: CPU time spent by OTHER processes while
// the row ran, from /proc/stat minus our process and the PyTorch child (Linux; elsewhere only the
// load average is reported).
import { readFileSync } from "node:fs";
import os from "node:os";

const TICKS = 100; // USER_HZ on Linux

function machineBusyTicks(): number | undefined {
  try {
    const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
    const [user, nice, system, , , irq, softirq, steal] = f;
    return user + nice + system + irq + softirq + (steal ?? 0);
  } catch {
    return undefined;
  }
}

function processTicks(pid: number | "self"): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch {
    return 0;
  }
}

export interface LoadSample {
  /** Cores used by processes other than ours during the interval (Linux), else null. */
  otherCores: number | null;
  /** 1-minute load average at the end of the interval. */
  load1: number;
}

export class LoadMeter {
  private t0 = 0;
  private busy0?: number;
  private own0 = 0;
  constructor(private readonly childPid?: () => number | undefined) {}
  private own(): number {
    const c = this.childPid?.();
    return processTicks("self") + (c ? processTicks(c) : 0);
  }
  start(): void {
    this.t0 = performance.now();
    this.busy0 = machineBusyTicks();
    this.own0 = this.own();
  }
  stop(): LoadSample {
    const busy1 = machineBusyTicks();
    const secs = (performance.now() - this.t0) / 1000;
    const otherCores = this.busy0 === undefined || busy1 === undefined || secs <= 0 ? null : Math.max(0, (busy1 - this.busy0 - (this.own() - this.own0)) / TICKS / secs);
    return { otherCores, load1: os.loadavg()[0] };
  }
}

/** A row is unreliable when other processes took more than this many cores while it ran. */
export const MAX_OTHER_CORES = 0.2;
/** The machine is not idle at the start when its 1-minute load is above this. */
export const MAX_START_LOAD = 1.2;

export const uptimeLine = () => {
  const [a, b, c] = os.loadavg();
  return `load average: ${a.toFixed(2)}, ${b.toFixed(2)}, ${c.toFixed(2)} (up ${(os.uptime() / 60).toFixed(0)} min, ${os.cpus().length} cores)`;
};
