import type { Command } from "commander";
import { registerJobValidate } from "./validate";
import { registerTest } from "./test";
import { registerJob } from "./job";
import { registerDeploy } from "./deploy";
import { registerCheck } from "./check";
import { registerRun } from "./run";
import { registerPolicy } from "./policy";

/** Each subcommand lives in its own module; register it here. */
export function registerCommands(program: Command): void {
  registerJobValidate(program);
  registerTest(program);
  registerJob(program);
  registerDeploy(program);
  registerCheck(program);
  registerRun(program);
  registerPolicy(program);
}
