// Output that is never lost. Node writes to pipes asynchronously, so process.exit() right after a
// large console.log cuts the output at the pipe's buffer (64 KiB) with exit code 0. Everything the
// CLI prints goes through these, and the process exits only once stdout and stderr have drained.

/** Resolves once everything written so far to `s` has been handed to the OS (or the reader left). */
function drained(s: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => {
    if (s.destroyed || !s.writable) return resolve();
    // Writes complete in order, so the callback of an empty write fires after every earlier one.
    s.write("", () => resolve());
  });
}

export async function flushStdio(): Promise<void> {
  await Promise.all([drained(process.stdout), drained(process.stderr)]);
}

let guarded = false;
/** A reader that stops early (`| head -c 100`) closes the pipe: stop writing quietly, no EPIPE stack. */
export function guardStdio(): void {
  if (guarded) return;
  guarded = true;
  for (const s of [process.stdout, process.stderr]) {
    s.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") s.destroy();
      else throw e;
    });
  }
}

/** Write `text` to stdout in chunks, waiting for the pipe whenever it is full (large JSON). */
export async function writeOut(text: string): Promise<void> {
  const CHUNK = 1 << 16;
  for (let i = 0; i < text.length; i += CHUNK) {
    if (process.stdout.destroyed) return;
    if (!process.stdout.write(text.slice(i, i + CHUNK))) {
      await new Promise<void>((r) => {
        process.stdout.once("drain", r);
        process.stdout.once("close", r);
      });
    }
  }
}

/** JSON on stdout, one trailing newline, streamed in chunks. */
export function printJson(value: unknown, indent?: number): Promise<void> {
  return writeOut(JSON.stringify(value, null, indent) + "\n");
}
