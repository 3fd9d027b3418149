// What `cdktf diff` / `cdktf deploy` need before they can start, checked in a few milliseconds so
// a missing piece is one line instead of Terraform's multi-line failure half-way through init:
// the terraform binary, and a login the azurerm provider and backend accept.
import { spawnSync } from "node:child_process";
import { accessSync, constants, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";

export interface PreflightEnvironment {
  env: NodeJS.ProcessEnv;
  /** Whether a program is on PATH. */
  onPath: (program: string) => boolean;
  /** Whether the Azure CLI has an account signed in (`az account show`). */
  azLoggedIn: () => boolean;
}

export function systemPreflightEnvironment(env: NodeJS.ProcessEnv = process.env): PreflightEnvironment {
  const onPath = (program: string) =>
    (env.PATH ?? "").split(delimiter).some((dir) => {
      for (const name of process.platform === "win32" ? [`${program}.exe`, `${program}.cmd`] : [program]) {
        try {
          accessSync(join(dir, name), constants.X_OK);
          return true;
        } catch {
          // not in this folder
        }
      }
      return false;
    });
  return {
    env,
    onPath,
    azLoggedIn: () => onPath("az") && spawnSync("az", ["account", "show", "--output", "none"], { stdio: "ignore", timeout: 30_000, shell: process.platform === "win32" }).status === 0,
  };
}

/** The service-principal, OIDC or managed-identity settings the azurerm provider reads from ARM_* variables. */
function armCredentialsInEnv(env: NodeJS.ProcessEnv): boolean {
  const on = (name: string) => /^(1|true)$/i.test(env[name] ?? "");
  if (on("ARM_USE_MSI")) return true;
  if (!env.ARM_CLIENT_ID) return false;
  return Boolean(env.ARM_CLIENT_SECRET || env.ARM_CLIENT_CERTIFICATE_PATH || env.ARM_OIDC_TOKEN || env.ARM_OIDC_TOKEN_FILE_PATH || on("ARM_USE_OIDC"));
}

/** What is missing, as one sentence each; empty when diff/deploy can start. */
export function preflightProblems(system: PreflightEnvironment): string[] {
  const problems: string[] = [];
  if (!system.onPath("terraform")) problems.push("Terraform is not installed (no 'terraform' on PATH): install it, https://developer.hashicorp.com/terraform/install");
  if (!armCredentialsInEnv(system.env) && !system.azLoggedIn()) {
    problems.push(
      "no Azure login: run 'az login', or set ARM_CLIENT_ID with ARM_CLIENT_SECRET (or ARM_USE_OIDC=true, or ARM_USE_MSI=true) and ARM_TENANT_ID",
    );
  }
  return problems;
}

/** The cdktf-cli subcommands that run Terraform against Azure (aliases included): they need both. */
const CDKTF_COMMANDS_NEEDING_AZURE = new Set(["diff", "plan", "deploy", "apply", "destroy", "watch", "output", "outputs"]);

/**
 * The cdktf-cli subcommand among the command lines of this process's ancestors (nearest first),
 * when it is one that needs Terraform and Azure. cdktf-cli tells the app it runs nothing of the
 * command, so `cdktf.json`'s app learns it from its parent processes:
 * `node …/node_modules/.bin/cdktf diff <stack>` spawns `sh -c <app>`, which spawns the app.
 */
export function cdktfCommandNeedingAzure(ancestorArgvs: string[][]): string | undefined {
  for (const argv of ancestorArgvs) {
    const cli = argv.findIndex((arg) => /(^|[\\/])cdktf(\.cmd|\.js)?$/.test(arg) || /[\\/]cdktf-cli[\\/].*bin[\\/]cdktf(\.js)?$/.test(arg));
    if (cli < 0) continue;
    const command = argv.slice(cli + 1).find((arg) => !arg.startsWith("-"));
    return command !== undefined && CDKTF_COMMANDS_NEEDING_AZURE.has(command) ? command : undefined;
  }
  return undefined;
}

/** Command lines of this process's ancestors, nearest first (Linux /proc, else `ps`); empty when neither answers. */
export function ancestorCommandLines(maxDepth = 8): string[][] {
  const lines: string[][] = [];
  let pid = process.ppid;
  for (let depth = 0; depth < maxDepth && pid > 1; depth++) {
    const proc = readProcEntry(pid) ?? readPsEntry(pid);
    if (!proc) break;
    lines.push(proc.argv);
    pid = proc.ppid;
  }
  return lines;
}

interface ProcessEntry {
  argv: string[];
  ppid: number;
}

function readProcEntry(pid: number): ProcessEntry | undefined {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter((arg) => arg !== "");
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // "pid (comm) state ppid …": comm may hold spaces and parentheses, so read after the last ")".
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    return Number.isInteger(ppid) ? { argv, ppid } : undefined;
  } catch {
    return undefined;
  }
}

function readPsEntry(pid: number): ProcessEntry | undefined {
  if (process.platform === "win32") return undefined;
  const ps = spawnSync("ps", ["-o", "ppid=", "-o", "args=", "-p", String(pid)], { encoding: "utf8", timeout: 5_000 });
  const match = ps.status === 0 ? /^\s*(\d+)\s+(.*)$/.exec(ps.stdout.trim()) : null;
  // ps gives the command line as one string: split on spaces (paths with spaces would split, which only costs a miss).
  return match ? { ppid: Number(match[1]), argv: match[2].split(/\s+/) } : undefined;
}
