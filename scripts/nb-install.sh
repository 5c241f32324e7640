#!/usr/bin/env bash
# Register the tslab kernel into a project-local Jupyter path (.jupyter/, not committed: the
# kernelspec holds an absolute path to this checkout). Unregister: rm -rf .jupyter
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's .venv (JupyterLab from PyPI, scripts/setup.sh) when there is one, else Debian's Jupyter.
PY=/usr/bin/python3
[ -x .venv/bin/python ] && PY=.venv/bin/python
if ! "$PY" -c "import jupyter_client, nbclient, nbformat" 2>/dev/null; then
  echo "Jupyter is not installed for $PY. Run: bash scripts/setup.sh (it makes .venv/ from PyPI; where PyPI is not reachable, as root: apt-get install -y --no-install-recommends jupyter-notebook python3-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-nbconvert jupyter-core)" >&2
  exit 1
fi
node node_modules/tslab/bin/tslab install --python="$PY" --prefix=.jupyter --binary="$PWD/scripts/tslab-kernel.sh" >/dev/null
JUPYTER_PATH=.jupyter/share/jupyter "$PY" -c "
from jupyter_client.kernelspec import KernelSpecManager
specs = KernelSpecManager().find_kernel_specs()
assert 'tslab' in specs, specs
print('tslab kernel registered in', specs['tslab'])"
