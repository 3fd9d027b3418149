import { Command, CommanderError } from "commander";
import { StreamkitError } from "../core/errors";
import { escapeControl } from "../core/terminal-text";
import { streamkitVersion } from "../core/package-info";
import { registerCommands } from "./commands";


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
    .version(streamkitVersion(), "-V, --version")
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
    process.stderr.write(`streamkit: ${error.describe().split("\n").map(escapeControl).join("\n")}\n`);
    return EXIT_USAGE;
  }
  reportUnexpected(error);
  return EXIT_USAGE;
}

/**
 * An error nothing anticipated: one line naming what failed (exit 2, like any bad input), and
 * the stack only when asked for with STREAMKIT_DEBUG=1. Never throws, whatever `error` is (a
 * thrown object's `message` getter may itself throw).
 */
export function reportUnexpected(error: unknown): void {
  const debug = process.env.STREAMKIT_DEBUG === "1";
  process.stderr.write(`streamkit: internal error: ${describeUnexpected(error)}${debug ? "" : " (STREAMKIT_DEBUG=1 shows where)"}\n`);
  if (debug) {
    let stack: string | undefined;
    try {
      stack = (error as Error)?.stack;
    } catch {
      stack = undefined;
    }
    if (stack) process.stderr.write(`${stack}\n`);
  }
}

function describeUnexpected(error: unknown): string {
  try {
    const text = error instanceof Error ? `${error.name}: ${error.message}` : `thrown value: ${String(error)}`;
    return escapeControl(text.split("\n")[0]);
  } catch {
    return "an error that cannot be described";
  }
}
