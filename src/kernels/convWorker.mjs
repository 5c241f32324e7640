// Entry of convPool.ts' helper threads: a worker thread starts with no TypeScript loader (in a
// notebook, none to inherit), so it registers tsx itself, then runs convWorker.ts.
import { register } from "tsx/esm/api";

register();
await import("./convWorker.ts");
