import { Command, CommanderError } from "commander";
import { StreamkitError } from "../core/errors";
import { registerCommands } from "./commands";

const { version } = require("../../package.json") as { version: string };

/** Exit codes: 0 ok, 1 the work found problems (errors in a query, failed tests), 2 bad usage or input. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** Thrown by a command to end with a given exit code after it has printed its own report. */
export class CommandExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

export function buildProgram(argv: readonly string[] = []): Command {
  const program = new Command("streamkit")
    .description("Check, run and test Azure Stream Analytics queries locally; operate the deployed jobs.")
    .version(version, "-V, --version")
    .showHelpAfterError("(run 'streamkit --help' for the commands)")
    .exitOverride();
  program.configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerCommands(program, argv);
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram(argv);
  try {
    await program.parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    return exitCodeFor(error);
  }
}

function exitCodeFor(error: unknown): number {
  if (error instanceof CommandExit) return error.code;
  if (error instanceof CommanderError) {
    // --help and --version end through here with exitCode 0.
    if (error.exitCode === 0) return EXIT_OK;
    return EXIT_USAGE;
  }
  if (error instanceof StreamkitError) {
    process.stderr.write(`streamkit: ${error.describe()}\n`);
    return EXIT_USAGE;
  }
  process.stderr.write(`streamkit: internal error: ${(error as Error)?.stack ?? String(error)}\n`);
  return EXIT_PROBLEMS + 2;
}
