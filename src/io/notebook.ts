// The tslab kernel's display channel, reached without importing tslab: its module exists only inside
// the kernel process, and library code must run the same in tests, scripts and the CLI.
// tslab's public `display` sends one MIME type per output and cannot update one; its cell writer
// (tslab/dist/jupyter, version pinned in package.json) takes a whole display_data message, with a
// display_id for in-place updates (update_display_data), which Jupyter, nbclient and JupyterLab honour.

/** tslab's public display API (one MIME type per call). */
export interface TslabDisplay {
  svg(s: string): void;
  html(s: string): void;
  markdown(s: string): void;
}

type CellWriter = (msg: { data: Record<string, string>; metadata: object; transient: { display_id?: string } }, update: boolean) => void;

function kernelRequire(): ((s: string) => unknown) | undefined {
  if (!process.argv.some((a) => /tslab/.test(a))) return undefined;
  return (globalThis as { require?: (s: string) => unknown }).require ?? eval("require");
}

/** tslab's public display, or undefined outside a tslab kernel. */
export function tslabDisplay(): TslabDisplay | undefined {
  try {
    return (kernelRequire()?.("tslab") as { display: TslabDisplay } | undefined)?.display;
  } catch {
    return undefined;
  }
}

/** True inside a tslab kernel. */
export function inNotebook(): boolean {
  return tslabDisplay() !== undefined;
}

function cellWriter(): CellWriter | undefined {
  try {
    const w = (kernelRequire()?.("tslab/dist/jupyter") as { lastWriteDisplayData?: CellWriter | null } | undefined)?.lastWriteDisplayData;
    return typeof w === "function" ? w : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One display_data message with several MIME types in the running cell; undefined outside a tslab
 * kernel or where tslab's cell writer is missing.
 */
export function displayBundle(): ((data: Record<string, string>) => void) | undefined {
  const w = cellWriter();
  return w && ((data) => w({ data, metadata: {}, transient: {} }, false));
}

let displays = 0;

/**
 * A display that later calls replace in place (update_display_data with one display_id). Sent
 * immediately, also from synchronous code: tslab writes to its iopub socket without waiting for the
 * event loop. Undefined outside a tslab kernel.
 */
export function updatableDisplay(): ((data: Record<string, string>) => void) | undefined {
  const w = cellWriter();
  if (!w) return undefined;
  const id = `w4s4-${process.pid}-${++displays}-${Date.now().toString(36)}`;
  let shown = false;
  return (data) => {
    w({ data, metadata: {}, transient: { display_id: id } }, shown);
    shown = true;
  };
}
