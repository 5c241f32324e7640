// Output paths are checked before the computation, so a typo in --csv costs nothing and leaves
// nothing behind: the nearest existing ancestor must be a writable directory.
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ParameterError } from "../errors.js";

function nearestExisting(p: string): string {
  let d = resolve(p);
  while (!existsSync(d)) {
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return d;
}

function requireWritableParent(flag: string, path: string, target: string, start = dirname(resolve(path))): void {
  const anc = nearestExisting(start);
  if (!statSync(anc).isDirectory()) throw new ParameterError(flag, `a path whose folders can be created (${anc} is a file)`, path);
  try {
    accessSync(anc, constants.W_OK);
  } catch {
    throw new ParameterError(flag, `a ${target} in a writable folder (${anc} is not writable)`, path);
  }
}

/** A file we will write: not an existing folder, under a writable folder. */
export function requireOutputFile(flag: string, path: string): string {
  if (path.trim() === "") throw new ParameterError(flag, "a file path", path);
  if (existsSync(path) && statSync(path).isDirectory()) throw new ParameterError(flag, "a file path (this is a folder)", path);
  requireWritableParent(flag, path, "file");
  return path;
}

/** A folder we will write into: absent or a folder, under a writable folder. */
export function requireOutputDir(flag: string, path: string): string {
  if (path.trim() === "") throw new ParameterError(flag, "a folder path", path);
  if (existsSync(path) && !statSync(path).isDirectory()) throw new ParameterError(flag, "a folder path (this is a file)", path);
  requireWritableParent(flag, path, "folder", resolve(path));
  return path;
}
