import type { Command } from "commander";

type Register = (program: Command) => void;

/**
 * Each subcommand lives in its own module. They load lazily: a run of one command pays
 * only for its own imports (the Azure SDK, cdktf readers, the engine…), which keeps
 * `streamkit check` fast.
 */
const COMMANDS: Record<string, () => Register> = {
  check: () => require("./check").registerCheck,
  run: () => require("./run").registerRun,
  test: () => require("./test").registerTest,
  validate: () => require("./validate").registerJobValidate,
  policy: () => require("./policy").registerPolicy,
  job: () => require("./job").registerJob,
  deploy: () => require("./deploy").registerDeploy,
  explain: () => require("./explain").registerExplain,
  init: () => require("./init").registerInit,
  preflight: () => require("./preflight").registerPreflight,
};

/**
 * Registers the command named on the command line, or every command (for help and unknown
 * names); none for a bare `--version`, which needs none of them.
 */
export function registerCommands(program: Command, argv: readonly string[] = []): void {
  const args = argv.slice(2);
  if (args.length === 1 && (args[0] === "--version" || args[0] === "-V")) return;
  const named = args.find((arg) => !arg.startsWith("-"));
  const wanted = named !== undefined && named in COMMANDS ? [named] : Object.keys(COMMANDS);
  for (const name of wanted) COMMANDS[name]!()(program);
}
