// MATCH_RECOGNIZE as a user meets it: `streamkit check` and `streamkit run` as processes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../../cli/cli-process";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sk-mr-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const QUERY = `SELECT m.device, m.readings, System.Timestamp() AS detectedAt
INTO alerts
FROM telemetry TIMESTAMP BY t
MATCH_RECOGNIZE (
    LIMIT DURATION(minute, 2)
    PARTITION BY device
    MEASURES Last(Hot.device) AS device, Classifier() AS readings
    AFTER MATCH SKIP TO NEXT ROW
    PATTERN (Cool Hot{2})
    DEFINE Cool AS Cool.temp < 25, Hot AS Hot.temp > 30
) AS m
`;

test("streamkit run writes one row per match", () => {
  const query = write("q.asaql", QUERY);
  const events = [
    { device: "a", temp: 20, t: "2024-03-01T08:00:00Z" },
    { device: "b", temp: 21, t: "2024-03-01T08:00:05Z" },
    { device: "a", temp: 31, t: "2024-03-01T08:00:10Z" },
    { device: "b", temp: 33, t: "2024-03-01T08:00:15Z" },
    { device: "a", temp: 32, t: "2024-03-01T08:00:20Z" },
    { device: "b", temp: 22, t: "2024-03-01T08:00:25Z" },
  ];
  const input = write("telemetry.json", events.map((e) => JSON.stringify(e)).join("\n"));
  const out = join(dir, "out");
  const r = runCli(["run", query, "--input", `telemetry=${input}`, "--out", out]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const rows = readFileSync(join(out, "alerts.json"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(rows).toEqual([{ device: "a", readings: ["Cool", "Hot", "Hot"], detectedAt: "2024-03-01T08:00:20.0000000Z" }]);
});

test("streamkit check points at a PATTERN syntax error inside the pattern", () => {
  const query = write("q.asaql", QUERY.replace("Hot{2}", "Hot{2"));
  const r = runCli(["check", query]);
  expect(r.code).not.toBe(0);
  expect(r.stdout + r.stderr).toMatch(/q\.asaql:9:22.*expected '\}' to close the count/);
});
