// `streamkit explain` driven as a process, as a user (or a CI job) runs it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runCli } from "../cli/cli-process";

const ROOT = resolve(__dirname, "../..");
const JOB = {
  name: "explain-cli",
  query: { file: "query.asaql" },
  streamingUnits: 20,
  inputs: [{ alias: "telemetry", kind: "eventhub", partitionCount: 4, serialization: { type: "json" } }],
  outputs: [{ alias: "output", kind: "blob" }],
};
const PASSTHROUGH = "SELECT deviceId, temperature\nINTO output\nFROM telemetry\n";
const GROUPED = "SELECT deviceId, AVG(temperature) AS t\nINTO output\nFROM telemetry TIMESTAMP BY ts\nGROUP BY deviceId, TumblingWindow(minute, 1)\n";

describe("streamkit explain (process)", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  function project(query: string): string {
    const dir = mkdtempSync(join(tmpdir(), "explain-cli-"));
    dirs.push(dir);
    writeFileSync(join(dir, "job.json"), JSON.stringify(JOB));
    writeFileSync(join(dir, "query.asaql"), query);
    return dir;
  }

  it("explains an example job as JSON, and writes Mermaid and SVG files", () => {
    const dir = project(PASSTHROUGH);
    const r = runCli(["explain", "--job", join(ROOT, "queries/iot-telemetry/job.json"), "--format", "json", "--events-per-second", "2000", "--keys", "500", "--mermaid", join(dir, "g.mmd"), "--svg", join(dir, "g.svg")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    const aggregates = e.steps.find((s: { name: string }) => s.name === "aggregates");
    expect(aggregates.parallelism.merge.message).toBe("GROUP BY deviceId without PartitionId merges all 2 partitions");
    expect(e.outputs.find((o: { alias: string }) => o.alias === "dashboard").parallel).toBe("no");
    expect(e.capacity.streamingUnits).toMatchObject({ estimate: true, unit: "SU V2" });
    expect(readFileSync(join(dir, "g.mmd"), "utf8")).toMatch(/^flowchart LR\n/);
    expect(readFileSync(join(dir, "g.svg"), "utf8")).toMatch(/^<svg /);
  });

  it("measures rate, event size and distinct keys from a local input file", () => {
    const dir = project(GROUPED);
    const events = Array.from({ length: 10 }, (_, i) => JSON.stringify({ deviceId: `d${i % 3}`, temperature: 20 + i, ts: `2024-01-01T00:00:0${i}Z` }));
    writeFileSync(join(dir, "events.json"), events.join("\n") + "\n");
    const r = runCli(["explain", "--job", "job.json", "--measure", "telemetry=events.json"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("measured from events.json: 10 events over 9 s");
    expect(r.stdout).toContain("3 distinct keys");
    expect(r.stdout).toMatch(/output: 1.11 events\/s, state ~768 bytes/);
  });

  it("bad usage exits 2 with a message; a broken query exits 1 with its location", () => {
    const dir = project(PASSTHROUGH);
    const cases: [string[], RegExp][] = [
      [["--format", "xml"], /--format must be text or json/],
      [["--events-per-second", "fast"], /--events-per-second must be a positive number, not 'fast'/],
      [["--partitions", "nothing=3"], /--partitions: 'nothing' is not an input of the job/],
      [["--reference-bytes", "12"], /--reference-bytes takes alias=value/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(["explain", "--job", "job.json", ...args], { cwd: dir });
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    }
    writeFileSync(join(dir, "query.asaql"), "SELECT deviceId\nINTO output\nFROM telemetri\n");
    const broken = runCli(["explain", "--job", "job.json"], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/query\.asaql:3:6: error: .*telemetri/);
  });

  it("--diff compares with the query at another git revision", () => {
    const dir = project(PASSTHROUGH);
    const git = (...args: string[]) => {
      const r = spawnSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } });
      expect(r.status).toBe(0);
    };
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "passthrough");
    const same = runCli(["explain", "query.asaql", "--job", "job.json", "--diff", "HEAD"], { cwd: dir });
    expect(same.code).toBe(0);
    expect(same.stdout).toBe("query.asaql: no change in topology or estimates since HEAD\n");

    writeFileSync(join(dir, "query.asaql"), GROUPED);
    const r = runCli(["explain", "query.asaql", "--job", "job.json", "--diff", "HEAD"], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("- HEAD:query.asaql");
    expect(r.stdout).toContain("+ query.asaql (working tree)");
    expect(r.stdout).toMatch(/^-\s+partitions: by PartitionId, 4 partitions$/m);
    expect(r.stdout).toMatch(/^\+\s+MERGE: GROUP BY deviceId without PartitionId merges all 4 partitions/m);
    expect(r.stdout).toMatch(/^- Embarrassingly parallel: yes$/m);
    expect(r.stdout).toMatch(/^\+ Embarrassingly parallel: no$/m);

    const unknown = runCli(["explain", "query.asaql", "--job", "job.json", "--diff", "no-such-ref"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/cannot read query\.asaql at 'no-such-ref'/);
    expect(existsSync(join(dir, "query.asaql"))).toBe(true);
  });
});
