// The job files the stacks write are what the CLI runs: `streamkit validate` and `streamkit
// check --job` accept them as a user would run them.
import { resolve } from "node:path";
import { runCli } from "../cli/cli-process";
import { jobFileOf, STREAM_ANALYTICS_SOLUTIONS } from "../../stacks/app";

const PROJECT = resolve(__dirname, "../..");

describe.each(Object.keys(STREAM_ANALYTICS_SOLUTIONS))("the %s job file", (solution) => {
  const file = jobFileOf(solution);

  it("is a valid job file", () => {
    const result = runCli(["validate", file], { cwd: PROJECT });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
  });

  it("has a query that checks clean against it", () => {
    const result = runCli(["check", "--job", file], { cwd: PROJECT });
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toMatchObject({ code: 0 });
  });
});
