#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx (no build step). runCli exits only after stdout and
// stderr have drained, so piped output is never cut short.
import { register } from "tsx/esm/api";
register();
const { runCli } = await import("../src/cli.ts");
await runCli(process.argv.slice(2));
