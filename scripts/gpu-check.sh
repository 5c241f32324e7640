#!/usr/bin/env bash
# The GPU check, on a bare GPU machine with no network and no Node: everything comes from the bundle
# `npm run gpu:bundle` made (.gpu-bundle/, or GPU_BUNDLE=DIR). It needs python3 (to verify and unpack
# the bundle, and for PyTorch's side of the bench) and an NVIDIA driver with Vulkan. Under 5 minutes.
#   scripts/gpu-check.sh [gpu-check args: --size gpu|small --pairs n --no-torch --allow-software]
# Writes gpu-check.txt and gpu-check.json to $OUT (the device tool's output folder) or out/gpu-check/.
# CI runs it on the software adapter: scripts/gpu-check.sh --allow-software --size small --pairs 1 --no-torch
set -euo pipefail
cd "$(dirname "$0")/.."
B=${GPU_BUNDLE:-.gpu-bundle}
DEST=${OUT:-out/gpu-check}
# A fresh work folder per run (removed at exit), so two checks never unpack over each other.
if [ -n "${GPU_CHECK_WORK:-}" ]; then
  W=$GPU_CHECK_WORK
  [ ! -e "$W" ] || [ -z "$(ls -A "$W")" ] || { echo "GPU_CHECK_WORK=$W is not empty; give a new folder." >&2; exit 2; }
else
  W=$(mktemp -d /tmp/w4s4-gpu-check.XXXXXX)
  trap 'rm -rf "$W"' EXIT
fi
[ -f "$B/manifest.json" ] || { echo "No bundle at $B: run \`npm run gpu:bundle\` first (see environment.md)." >&2; exit 2; }
command -v python3 >/dev/null || { echo "python3 is needed to unpack the bundle." >&2; exit 2; }
mkdir -p "$DEST"
DEST=$(cd "$DEST" && pwd)
t0=$SECONDS

echo "==> unpacking $B into $W"
# Verify every file's SHA-256, decompress node and dawn.node, unpack the Vulkan loader (.deb = ar + data.tar.*).
python3 - "$B" "$W" <<'PY'
import hashlib, io, json, lzma, os, sys, tarfile
b, w = sys.argv[1], sys.argv[2]
m = json.load(open(os.path.join(b, "manifest.json")))
for rel, meta in m["files"].items():
    data = open(os.path.join(b, rel), "rb").read()
    if hashlib.sha256(data).hexdigest() != meta["sha256"]:
        sys.exit(f"bundle file {rel} is damaged (SHA-256 differs from manifest.json)")
    dst = os.path.join(w, rel[:-3] if rel.endswith(".xz") else rel)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    open(dst, "wb").write(lzma.decompress(data) if rel.endswith(".xz") else data)
    if rel == "node.xz":
        os.chmod(dst, 0o755)
    if rel.endswith(".deb"):
        assert data[:8] == b"!<arch>\n", f"{rel} is not a .deb"
        i = 8
        while i < len(data):
            name, size = data[i:i + 16].decode().strip().rstrip("/"), int(data[i + 48:i + 58])
            body = data[i + 60:i + 60 + size]
            if name.startswith("data.tar"):
                if name not in ("data.tar.xz", "data.tar.gz", "data.tar.bz2", "data.tar"):
                    sys.exit(f"{rel}: its {name} needs a decompressor python3 lacks (xz, gz, bz2 only); install libvulkan1 instead")
                tarfile.open(fileobj=io.BytesIO(body)).extractall(os.path.join(w, "vk"))
            i += 60 + size + (size & 1)
print(f"    bundle of {m['date'][:10]}, commit {m['commit']}, node {m['node']}, webgpu {m['webgpu']}: {len(m['files'])} files verified")
PY

# The Vulkan loader: the machine's own if it has one, else the bundled one (through LD_LIBRARY_PATH,
# nothing is installed). Either way, check that it really loads before Dawn looks for it.
# (grep reads all of ldconfig's output: with -q it would stop early and pipefail would see SIGPIPE.)
if ldconfig -p 2>/dev/null | grep 'libvulkan.so.1 ' >/dev/null; then
  echo "==> Vulkan loader: the system's"
else
  so=$(find "$W/vk" -name 'libvulkan.so.1*' 2>/dev/null | head -1)
  [ -n "$so" ] || { echo "No Vulkan loader: the machine has none and the bundle's libvulkan1 .deb holds no libvulkan.so.1." >&2; exit 1; }
  lib=$(dirname "$so")
  export LD_LIBRARY_PATH="$lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
  echo "==> Vulkan loader: bundled ($(ls "$W"/debs/ 2>/dev/null | head -1)), from $lib"
fi
python3 -c "import ctypes; ctypes.CDLL('libvulkan.so.1')" || { echo "The Vulkan loader does not load." >&2; exit 1; }
# The NVIDIA driver's Vulkan ICD: a container may mount it outside the loader's search path.
if ! ls /usr/share/vulkan/icd.d/*nvidia* /etc/vulkan/icd.d/*nvidia* >/dev/null 2>&1; then
  for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/local/nvidia/vulkan/icd.d/nvidia_icd.json; do
    if [ -f "$f" ]; then export VK_DRIVER_FILES=$f VK_ICD_FILENAMES=$f; echo "==> Vulkan driver: $f"; break; fi
  done
fi
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/==> GPU: /' || true

# PyTorch for the side-by-side column: CUDA when it sees a GPU.
PY=$(command -v python3)
export W4S4_TORCH_PYTHON=$PY W4S4_BACKEND=webgpu
if "$PY" -c "import torch, sys; sys.exit(0 if torch.cuda.is_available() else 1)" 2>/dev/null; then
  export TORCH_DEVICE=cuda
  echo "==> PyTorch $("$PY" -c 'import torch; print(torch.__version__, torch.cuda.get_device_name())') on CUDA"
fi

cd "$W"
"$W/node" "$W/gpu-check.mjs" --json "$DEST/gpu-check.json" "$@" 2>&1 | tee "$DEST/gpu-check.txt"
echo "==> scripts/gpu-check.sh done in $((SECONDS - t0)) s; report in $DEST/gpu-check.txt and gpu-check.json"
