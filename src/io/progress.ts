// Progress on stderr for long work (sweeps, dataset generation, training epochs): redraws in place
// on a terminal, prints about ten lines otherwise (CI logs, notebooks).
/** A text progress bar on stderr: redraws in place on a terminal, prints ~10 lines otherwise. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): (done: number, total: number, label: string) => void {
  let lastDecile = -1;
  const t0 = Date.now();
  return (done, total, label) => {
    const frac = total > 0 ? done / total : 1;
    const width = 30;
    const fill = Math.round(frac * width);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const line = `[${"#".repeat(fill)}${".".repeat(width - fill)}] ${done}/${total} ${secs}s ${label}`;
    if (stream.isTTY) {
      stream.write(`\r${line.slice(0, (stream.columns || 100) - 1).padEnd((stream.columns || 100) - 1)}`);
      if (done === total) stream.write("\n");
    } else {
      const decile = Math.floor(frac * 10);
      if (decile !== lastDecile) {
        lastDecile = decile;
        stream.write(line + "\n");
      }
    }
  };
}


/**
 * Lets the event loop run once. A notebook kernel (tslab) sends a cell's output from the event loop, so
 * long synchronous work prints nothing until the cell ends unless it yields now and then.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
