// A CLI subcommand: parses its own argv (node:util parseArgs), prints to stdout, returns an exit code.
// Bad input: message on stderr, exit code 2.
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[]): Promise<number>;
}
