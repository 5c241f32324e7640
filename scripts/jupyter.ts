// Which Python runs the Jupyter side: the project's .venv (JupyterLab, nbclient, nbconvert from
// PyPI, pinned in requirements-jupyter.txt; scripts/setup.sh makes it), else Debian's /usr/bin/python3
// with its Jupyter packages (the fallback where PyPI is not reachable).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../src/paths.js";

export function jupyterPython(root = projectRoot()): string {
  const venv = join(root, ".venv/bin/python");
  return existsSync(venv) ? venv : "/usr/bin/python3";
}

/** The JupyterLab launcher of the .venv, or undefined (Debian packages JupyterLab for no release we use). */
export function jupyterLab(root = projectRoot()): string | undefined {
  const lab = join(root, ".venv/bin/jupyter-lab");
  return existsSync(lab) ? lab : undefined;
}

/** The environment a Jupyter process of ours runs in: the project's tslab kernel first on JUPYTER_PATH. */
export function jupyterEnv(root = projectRoot(), extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const own = join(root, ".jupyter/share/jupyter");
  const path = process.env.JUPYTER_PATH ? `${own}:${process.env.JUPYTER_PATH}` : own;
  return { ...process.env, JUPYTER_PATH: path, ...extra };
}
