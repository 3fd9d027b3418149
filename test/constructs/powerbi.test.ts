import { Testing } from "cdktf";
import { PowerBiOutput } from "../../constructs/powerbi/power-bi-output";
import { cleanupOutdirs, newStack, synthJson } from "./harness";

afterAll(cleanupOutdirs);

const WORKSPACE = "7d3c2a10-1b2c-4d5e-8f90-123456789abc";

describe("PowerBiOutput", () => {
  it("holds the output settings, creates no Azure resource, and states the manual steps", () => {
    const stack = newStack();
    const out = new PowerBiOutput(stack, "dashboard", { workspaceId: WORKSPACE, workspaceName: "Streaming", dataset: "telemetry", table: "perMinute", columns: [{ name: "deviceId", sqlType: "nvarchar(64)", nullable: true }] });
    expect(synthJson(stack).resource).toBeUndefined();
    expect(out).toMatchObject({ workspaceId: WORKSPACE, dataset: "telemetry", table: "perMinute" });
    expect(out.tableSpec?.columns.map((c) => c.name)).toEqual(["deviceId"]);
    const steps = out.manualSteps("asa-skdev-telemetry");
    expect(steps).toHaveLength(3);
    expect(steps[1]).toMatch(/add the job's managed identity \(search for 'asa-skdev-telemetry'\) as Contributor/);
  });

  it("rejects a workspace id that is not a GUID, empty names and duplicate columns", () => {
    const stack = newStack();
    new PowerBiOutput(stack, "a", { workspaceId: "me", workspaceName: "", dataset: "d", table: "t", columns: [{ name: "x", sqlType: "float", nullable: true }, { name: "X", sqlType: "float", nullable: true }] });
    const run = () => Testing.synth(stack, true);
    expect(run).toThrow(/workspaceId 'me' is not a GUID/);
    expect(run).toThrow(/workspaceName is required/);
    expect(run).toThrow(/column 'X' is declared twice/);
  });
});
