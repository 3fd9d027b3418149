// What cdktf diff / deploy need, said in one line each before anything starts.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { cdktfCommandNeedingAzure, preflightProblems, type PreflightEnvironment } from "../../lib/azure/preflight";
import { runCli, STREAMKIT_BIN } from "../cli/cli-process";

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

  it("finds the cdktf-cli subcommand among the ancestors' command lines, aliases included", () => {
    const cdktf = ["node", "/app/node_modules/.bin/cdktf"];
    expect(cdktfCommandNeedingAzure([["/bin/sh", "-c", "node main.ts"], [...cdktf, "diff", "iot-dev"]])).toBe("diff");
    expect(cdktfCommandNeedingAzure([[...cdktf, "--log-level", "deploy", "x"]])).toBe("deploy");
    for (const command of ["plan", "apply", "destroy", "watch", "output", "outputs"]) expect(cdktfCommandNeedingAzure([[...cdktf, command]])).toBe(command);
    expect(cdktfCommandNeedingAzure([["npm", "exec", "cdktf", "deploy"]])).toBe("deploy");
    expect(cdktfCommandNeedingAzure([["node", "/usr/lib/node_modules/cdktf-cli/bundle/bin/cdktf", "apply"]])).toBe("apply");
    // synth and get need neither; the nearest cdktf decides; no cdktf at all is a plain run.
    expect(cdktfCommandNeedingAzure([[...cdktf, "synth"]])).toBeUndefined();
    expect(cdktfCommandNeedingAzure([[...cdktf, "get"], [...cdktf, "deploy"]])).toBeUndefined();
    expect(cdktfCommandNeedingAzure([[...cdktf]])).toBeUndefined();
    expect(cdktfCommandNeedingAzure([["node", "main.ts", "deploy"], ["bash"]])).toBeUndefined();
    expect(cdktfCommandNeedingAzure([["node", "/x/mycdktf", "deploy"]])).toBeUndefined();
  });

  it("as cdktf.json's app under `cdktf diff` it stops with one line and exit 2; under `cdktf synth` it lets the synth go on", () => {
    // A stand-in for cdktf-cli: a program named cdktf that runs the app through a shell, as cdktf-cli does.
    const dir = mkdtempSync(join(tmpdir(), "streamkit-cdktf-"));
    try {
      const fakeCdktf = join(dir, "cdktf");
      writeFileSync(
        fakeCdktf,
        `const r = require("node:child_process").spawnSync(process.env.APP, { shell: true, encoding: "utf8" });
process.stderr.write(r.stderr); process.stdout.write(r.stdout); process.exit(r.status ?? 1);`,
      );
      const run = (command: string) =>
        spawnSync(process.execPath, [fakeCdktf, command, "iot-telemetry-dev"], {
          encoding: "utf8",
          env: { ...process.env, PATH: dirname(process.execPath), ARM_CLIENT_ID: "", ARM_USE_MSI: "", NO_COLOR: "1", APP: `"${process.execPath}" "${STREAMKIT_BIN}" preflight --cdktf-app && echo synth-ran` },
          timeout: 60_000,
        });
      const diff = run("diff");
      expect(diff.status).toBe(2);
      expect(diff.stdout).not.toContain("synth-ran");
      expect(diff.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(/^streamkit: cdktf diff cannot start: Terraform is not installed .*; no Azure login: run 'az login'/),
      ]);
      const synth = run("synth");
      expect(synth.status).toBe(0);
      expect(synth.stderr).toBe("");
      expect(synth.stdout.trim()).toBe("synth-ran");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
