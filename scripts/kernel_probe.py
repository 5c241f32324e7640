#!/usr/bin/python3
"""Run one code string in the project's tslab kernel and print every iopub message it caused, as JSON
lines {"t": seconds since the request, "type": msg_type, "content": ...}. Tests use it to check what a
live notebook sees and when (e.g. a progress display updated in place while the cell still runs)."""
import argparse, json, sys, time

import jupyter_client


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("code_file")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--cwd", default=".")
    ap.add_argument("--timeout", type=float, default=120)
    args = ap.parse_args()
    code = open(args.code_file).read()
    km, kc = jupyter_client.manager.start_new_kernel(kernel_name=args.kernel, cwd=args.cwd)
    try:
        t0 = time.time()
        msg_id = kc.execute(code)
        while True:
            m = kc.get_iopub_msg(timeout=args.timeout)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            print(json.dumps({"t": time.time() - t0, "type": m["msg_type"], "content": m["content"]}), flush=True)
            if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                break
    finally:
        km.shutdown_kernel(now=True)


if __name__ == "__main__":
    sys.exit(main())
