#!/usr/bin/env bash
# One-time (idempotent) set-up from a fresh clone: npm packages, the Debian packages Jupyter needs,
# and the project-local tslab kernel. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(jupyter-notebook python3-nbconvert python3-nbclient jupyter-client python3-ipykernel
  jupyter-nbconvert jupyter-core fonts-dejavu-core
  dataset-fashion-mnist espeak-ng sox python3-scipy  # data sources: see data/README.md
  chromium  # headless check of the paper report (npm run paper:check)
  libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri  # WebGPU's software adapter (Dawn on Mesa llvmpipe): the webgpu tests
  xz-utils)  # npm run gpu:bundle

need_node() {
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' || {
    echo "Node.js >= 20.19 is required (found $(node --version)). See environment.md." >&2; exit 1; }
}

install_npm() {
  # Re-install when node_modules is missing or older than the lockfile.
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "==> npm ci"
    npm ci --no-audit --no-fund
  else
    echo "==> npm packages up to date"
  fi
}

install_apt() {
  local missing=()
  for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "==> Debian packages present"; return; fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]}" >&2
    echo "Install them as root:  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "==> apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

need_node
install_npm
install_apt
echo "==> registering the tslab kernel"
bash scripts/nb-install.sh
echo "==> set-up done. Backend:"
node --import tsx src/cli.ts backend
