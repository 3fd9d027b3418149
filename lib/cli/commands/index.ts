import type { Command } from "commander";
import { registerJobValidate } from "./validate";

/** Each subcommand lives in its own module; register it here. */
export function registerCommands(program: Command): void {
  registerJobValidate(program);
}
