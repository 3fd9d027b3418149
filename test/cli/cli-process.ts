// Drives the real `streamkit` command as a process, as a user would.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export const STREAMKIT_BIN = resolve(__dirname, "../../bin/streamkit");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [STREAMKIT_BIN, ...args], {
    cwd: options.cwd,
    input: options.input,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0", ...options.env },
    timeout: 60000,
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
