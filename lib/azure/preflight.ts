// What `cdktf diff` / `cdktf deploy` need before they can start, checked in a few milliseconds so
// a missing piece is one line instead of Terraform's multi-line failure half-way through init:
// the terraform binary, and a login the azurerm provider and backend accept.
import { spawnSync } from "node:child_process";
import { accessSync, constants } from "node:fs";
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
