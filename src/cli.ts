// w4s4 — the command line of the W4S4 workbench.
//   w4s4 <command> [options]      w4s4 <command> --help      w4s4 --help
import { COMMANDS } from "./cli/commands.js";

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
  ].join("\n");
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
  try {
    return await cmd.run(rest);
  } catch (e) {
    // parseArgs errors (unknown option, missing value) are bad input: exit 2 with the message.
    const err = e as { code?: string; message?: string };
    if (err.code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${err.message}\nusage: ${cmd.usage.split("\n")[0]}`);
      return 2;
    }
    throw e;
  }
}

const invokedDirectly = process.argv[1] && /(^|[\\/])cli\.(ts|js)$/.test(process.argv[1]);
if (invokedDirectly) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
      process.exit(1);
    },
  );
}
