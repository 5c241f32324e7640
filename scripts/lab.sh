#!/usr/bin/env bash
# Open the notebooks in JupyterLab (the project's .venv) with the project's tslab kernel, as root or
# as a user (as root, JupyterLab refuses to start without --allow-root: added here). Extra
# arguments go to `jupyter lab` (e.g. --port 8890, --no-browser).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/jupyter-lab ]; then
  echo "JupyterLab is not installed in .venv/: run bash scripts/setup.sh (it needs PyPI). Without PyPI," >&2
  echo "the classic Notebook from Debian's packages: JUPYTER_PATH=.jupyter/share/jupyter jupyter notebook notebooks/" >&2
  exit 1
fi
[ -d .jupyter/share/jupyter/kernels/tslab ] || bash scripts/nb-install.sh
export JUPYTER_PATH="$PWD/.jupyter/share/jupyter${JUPYTER_PATH:+:$JUPYTER_PATH}"
args=(--ServerApp.root_dir="$PWD" --LabApp.default_url=/lab/tree/notebooks)
[ "$(id -u)" -eq 0 ] && args+=(--allow-root)
exec .venv/bin/jupyter-lab "${args[@]}" "$@"
