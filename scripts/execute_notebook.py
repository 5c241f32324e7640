#!/usr/bin/python3
"""Execute one notebook headlessly with the project's tslab kernel (nbclient), cell by cell.

Writes the executed copy to OUT (also when a cell fails, so the error is visible in it).
On failure prints the failing cell's number, its first source lines and its error text
(tslab reports compile and runtime errors on stderr, which nbclient's own message omits),
and exits 1. Progress goes to stderr, one line per cell, and every --heartbeat seconds while a cell
runs a line with its latest output (a progress display updated in place, or the last printed line).
"""
import argparse, os, sys, threading, time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def error_text(cell):
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream" and o.get("name") == "stderr":
            parts.append(o.get("text", ""))
        elif o.get("output_type") == "error":
            parts.append(f"{o.get('ename', '')}: {o.get('evalue', '')}")
            parts.extend(o.get("traceback", [])[-5:])
    return "\n".join(p.rstrip() for p in parts if p and p.strip())


def number(cell, n):
    """tslab's execute_reply carries no execution_count, so nbclient leaves every cell at "In [ ]":
    number the cells (and their results) as Jupyter would, 1, 2, ..."""
    if cell.get("execution_count") is None:
        cell["execution_count"] = n
        for o in cell.get("outputs", []):
            if o.get("output_type") == "execute_result":
                o["execution_count"] = n


def latest_output(cell):
    """The cell's progress display (a text-only display updated in place), else its last printed line."""
    outs = cell.get("outputs", [])
    bars = [o for o in outs if o.get("output_type") == "display_data" and list(o.get("data", {})) == ["text/plain"]]
    for o in reversed(bars or outs):
        text = o.get("text") if o.get("output_type") == "stream" else o.get("data", {}).get("text/plain")
        if isinstance(text, list):
            text = "".join(text)
        lines = [l for l in (text or "").replace("\r", "\n").splitlines() if l.strip()]
        if lines:
            return lines[-1].strip()[:160]
    return ""


class Heartbeat:
    """Prints `cell k/n running T s: <latest output>` every `every` seconds while a cell runs."""

    def __init__(self, name, every):
        self.name, self.every = name, every
        self.cell, self.label, self.t0 = None, "", 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start_cell(self, cell, label):
        self.cell, self.label, self.t0 = cell, label, time.time()

    def run(self):
        while not self.stop.wait(self.every):
            cell = self.cell
            if cell is None or time.time() - self.t0 < self.every:
                continue
            try:
                last = latest_output(cell)
            except Exception:  # the outputs list is being appended to by the client
                last = ""
            print(f"  [{self.name}] cell {self.label} running {time.time() - self.t0:.0f}s"
                  + (f": {last}" if last else ""), file=sys.stderr, flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("out")
    ap.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--error-file", help="also write the failure report here (stderr streams live)")
    ap.add_argument("--heartbeat", type=float, default=30, help="seconds between lines while a cell runs (0: none)")
    args = ap.parse_args()

    nb = nbformat.read(args.notebook, as_version=4)
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    client = NotebookClient(nb, kernel_name=args.kernel, timeout=args.timeout,
                            resources={"metadata": {"path": root}})
    name = os.path.basename(args.notebook)
    failed = None
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    t_nb = time.time()
    beat = Heartbeat(name, args.heartbeat)
    if args.heartbeat > 0:
        beat.thread.start()
    with client.setup_kernel():
        for k, i in enumerate(code_cells):
            cell = nb.cells[i]
            t0 = time.time()
            beat.start_cell(cell, f"{k + 1}/{len(code_cells)}")
            try:
                client.execute_cell(cell, i)
                beat.cell = None
            except (CellExecutionError, CellTimeoutError) as e:
                failed = (i, cell, e)
                number(cell, k + 1)
                break
            number(cell, k + 1)
            # tslab marks compile errors on stderr without an error output in some versions.
            status = "ok"
            print(f"  [{name}] cell {k + 1}/{len(code_cells)} {status} ({time.time() - t0:.1f}s)",
                  file=sys.stderr, flush=True)
    beat.stop.set()
    beat.cell = None
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, args.out)
    if failed:
        i, cell, e = failed
        src = "\n".join(cell.source.splitlines()[:8])
        msg = error_text(cell) or str(e).strip()
        if isinstance(e, CellTimeoutError):
            msg = f"timed out after {args.timeout}s\n" + msg
        report = (f"NOTEBOOK FAILED: {args.notebook}, cell {code_cells.index(i) + 1} (index {i}):\n"
                  f"--- source ---\n{src}\n--- error ---\n{msg}\n")
        print("\n" + report, file=sys.stderr, flush=True)
        if args.error_file:
            with open(args.error_file, "w") as f:
                f.write(report)
        sys.exit(1)
    print(f"  [{name}] done in {time.time() - t_nb:.1f}s -> {args.out}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
