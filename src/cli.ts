// w4s4 — the command line of the W4S4 workbench.
//   w4s4 <command> [options]      w4s4 <command> --help      w4s4 --help
// Exit codes, here and nowhere else: 0 success, 2 bad input (a message naming the parameter),
// 1 anything else (a message; the stack with W4S4_DEBUG=1).
import { COMMANDS } from "./cli/commands.js";
import { flushStdio, guardStdio } from "./cli/output.js";
import { ParameterError } from "./errors.js";
import { onConstructionStep, stepLog } from "./io/progress.js";

function help(): string {
  const w = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    "w4s4 — deep state-space models (HiPPO, S4D, SaFARi, WaLRUS/W4S4) in TypeScript",
    "",
    "usage: w4s4 <command> [options]",
    "",
    "commands:",
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(w)}  ${c.summary}`),
    "",
    "Run `w4s4 <command> --help` for a command's options. Environment: W4S4_BACKEND=auto|tensorflow|wasm|cpu|webgpu.",
    "Exit codes: 0 success, 2 bad input (the message names the parameter), 1 any other failure.",
  ].join("\n");
}

/** `--dt -1` reads as an ambiguous option to parseArgs; join a negative number to its flag. */
export function joinNegativeNumbers(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i], next = argv[i + 1];
    if (/^--[^=]+$/.test(a) && next !== undefined && /^-(\d|\.\d|inf)/i.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** The exit code and message of an error thrown by a command. */
export function exitCodeOf(e: unknown): number {
  const code = (e as { code?: string })?.code;
  return e instanceof ParameterError || (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS")) ? 2 : 1;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    console.log(help());
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    console.error(`Unknown command ${JSON.stringify(name)}; allowed: ${Object.keys(COMMANDS).join(", ")}. See w4s4 --help.`);
    return 2;
  }
  const cmd = await entry.load();
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(cmd.usage);
    return 0;
  }
  // Slow construction steps (a cold WaLRUS frame, Theorem 1's eigendecompositions) get a timed line on stderr.
  const restore = onConstructionStep(stepLog());
  try {
    return await cmd.run(joinNegativeNumbers(rest));
  } catch (e) {
    const code = exitCodeOf(e);
    const msg = e instanceof Error ? e.message : String(e);
    if (code === 2) console.error(`${msg}\nusage: w4s4 ${name} --help`);
    else console.error(process.env.W4S4_DEBUG && e instanceof Error ? (e.stack ?? msg) : msg);
    return code;
  } finally {
    restore();
  }
}

/** Run the CLI and exit with its code once stdout and stderr have drained (bin/w4s4.js, npm run w4s4). */
export async function runCli(argv: string[]): Promise<never> {
  guardStdio();
  let code: number;
  try {
    code = await main(argv);
  } catch (e) {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    code = 1;
  }
  process.exitCode = code;
  await flushStdio();
  // Exit explicitly: a backend may hold the event loop open (wasm workers, timers).
  process.exit(code);
}

const invokedDirectly = process.argv[1] && /(^|[\\/])cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) void runCli(process.argv.slice(2));
