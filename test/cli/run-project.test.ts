import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCli } from "./cli-process";

const TOLL = resolve(__dirname, "../../queries/toll-multi-output");

describe("streamkit run --project / --job", () => {
  let out: string;
  beforeEach(() => (out = mkdtempSync(join(tmpdir(), "streamkit-run-"))));
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  function rowsOf(file: string): unknown[] {
    return readFileSync(join(out, file), "utf8").trim().split("\n").map((line) => JSON.parse(line));
  }

  it("runs an ASA VS Code project on its local inputs, one file per output", () => {
    const result = runCli(["run", "--project", TOLL, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/input +Input: 5 event\(s\) read/);
    expect(rowsOf("ArchiveOutput.json")).toHaveLength(5);
    expect(rowsOf("AlertOutput.json")).toEqual([expect.objectContaining({ Make: "Toyota", Count: 3 })]);
  });

  it("lets --input replace a project's local input of the same alias", () => {
    const events = join(out, "one.json");
    writeFileSync(events, JSON.stringify({ Make: "Honda", Time: "2015-01-01T00:00:01.0000000Z" }) + "\n");
    const result = runCli(["run", "--project", TOLL, "--input", `input=${events}`, "--out", out]);
    expect(result.code).toBe(0);
    expect(rowsOf("ArchiveOutput.json")).toHaveLength(1);
  });

  it("takes the query from --job when no query file is named", () => {
    writeFileSync(join(out, "q.asaql"), "SELECT Make INTO cars FROM Input");
    writeFileSync(join(out, "events.json"), '{"Make":"Audi"}\n');
    writeFileSync(
      join(out, "job.json"),
      JSON.stringify({
        name: "cars-job",
        query: { file: "q.asaql" },
        inputs: [{ alias: "Input", kind: "eventhub", local: { path: "events.json" } }],
        outputs: [{ alias: "cars", kind: "blob" }],
      }),
    );
    const result = runCli(["run", "--job", join(out, "job.json"), "--out", out]);
    expect(result.code).toBe(0);
    expect(rowsOf("cars.json")).toEqual([{ Make: "Audi" }]);
  });

  it("says what is missing: no query, both --job and --project, a missing project", () => {
    expect(runCli(["run"])).toMatchObject({ code: 2, stderr: expect.stringContaining("name a query file, --job or --project") });
    expect(runCli(["run", "--job", "a.json", "--project", TOLL])).toMatchObject({ code: 2, stderr: expect.stringContaining("not both") });
    const missing = runCli(["run", "--project", join(out, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("nope");
  });
});
