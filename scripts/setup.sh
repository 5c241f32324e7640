#!/usr/bin/env bash
# One-time (idempotent) set-up from a fresh clone: npm packages, Debian packages (data sources,
# Chromium, Mesa), a project-local Python venv with JupyterLab from PyPI (.venv/, pinned in
# requirements-jupyter.txt; no root needed), and the project-local tslab kernel. Where PyPI is not
# reachable, Debian's Jupyter packages stand in for the venv (classic Notebook, no JupyterLab).
# Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

JUPYTER_APT=(jupyter-notebook python3-nbconvert python3-nbclient jupyter-client python3-ipykernel
  jupyter-nbconvert jupyter-core)  # only where the venv cannot be made
APT_PACKAGES=(python3-venv fonts-dejavu-core
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
  for p in "$@"; do
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

install_venv() {
  # Rebuilt when missing or older than the requirements; a failed build is removed, never half kept.
  if [ -x .venv/bin/jupyter-lab ] && [ .venv/.w4s4-installed -nt requirements-jupyter.txt ]; then
    echo "==> .venv (JupyterLab) up to date"; return 0; fi
  echo "==> .venv: JupyterLab, nbclient, nbconvert, ipykernel from PyPI (requirements-jupyter.txt)"
  rm -rf .venv
  if /usr/bin/python3 -m venv .venv && .venv/bin/pip install -q --disable-pip-version-check -r requirements-jupyter.txt; then
    touch .venv/.w4s4-installed
    return 0
  fi
  rm -rf .venv
  echo "(.venv could not be made: PyPI not reachable? Falling back to Debian's Jupyter packages, without JupyterLab)" >&2
  return 1
}

need_node
install_npm
echo "==> npm run build (the compiled CLI in dist/, which bin/w4s4.js runs while it matches src/)"
node scripts/build.mjs --if-stale
install_apt "${APT_PACKAGES[@]}"
install_venv || install_apt "${JUPYTER_APT[@]}"
echo "==> registering the tslab kernel"
bash scripts/nb-install.sh
echo "==> set-up done. Backend:"
node bin/w4s4.js backend
