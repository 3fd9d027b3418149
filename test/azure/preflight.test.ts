// What cdktf diff / deploy need, said in one line each before anything starts.
import { dirname } from "node:path";
import { preflightProblems, type PreflightEnvironment } from "../../lib/azure/preflight";
import { runCli } from "../cli/cli-process";

function system(env: NodeJS.ProcessEnv, programs: string[], azLoggedIn = false): PreflightEnvironment {
  return { env, onPath: (p) => programs.includes(p), azLoggedIn: () => azLoggedIn };
}

describe("preflight", () => {
  it("names a missing terraform and a missing Azure login, one sentence each", () => {
    expect(preflightProblems(system({}, []))).toEqual([
      "Terraform is not installed (no 'terraform' on PATH): install it, https://developer.hashicorp.com/terraform/install",
      "no Azure login: run 'az login', or set ARM_CLIENT_ID with ARM_CLIENT_SECRET (or ARM_USE_OIDC=true, or ARM_USE_MSI=true) and ARM_TENANT_ID",
    ]);
  });

  it("accepts an Azure CLI login, a service principal secret, OIDC or a managed identity, as the azurerm provider does", () => {
    expect(preflightProblems(system({}, ["terraform", "az"], true))).toEqual([]);
    expect(preflightProblems(system({ ARM_CLIENT_ID: "id", ARM_CLIENT_SECRET: "s" }, ["terraform"]))).toEqual([]);
    expect(preflightProblems(system({ ARM_CLIENT_ID: "id", ARM_USE_OIDC: "true" }, ["terraform"]))).toEqual([]);
    expect(preflightProblems(system({ ARM_USE_MSI: "1" }, ["terraform"]))).toEqual([]);
    // A client id alone is no credential; an az on PATH with nobody signed in is none either.
    expect(preflightProblems(system({ ARM_CLIENT_ID: "id" }, ["terraform", "az"], false))).toHaveLength(1);
  });

  it("streamkit preflight and streamkit deploy (with cdktf deploy) stop with exit 2 before any job is touched", () => {
    // PATH with node only: no terraform, no az.
    const env = { PATH: dirname(process.execPath), ARM_CLIENT_ID: "", ARM_USE_MSI: "" };
    const pre = runCli(["preflight"], { env });
    expect(pre.code).toBe(2);
    expect(pre.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^streamkit: Terraform is not installed/), expect.stringMatching(/^streamkit: no Azure login/)]);
    const deploy = runCli(["deploy", "--stack", "iot-telemetry-dev", "--arm-endpoint", "http://127.0.0.1:9"], { env });
    expect(deploy.code).toBe(2);
    expect(deploy.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^streamkit: cannot deploy: Terraform is not installed .*; no Azure login: run 'az login'/)]);
  });
});
