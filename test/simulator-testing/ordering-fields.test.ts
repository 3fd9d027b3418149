// case.json `ordering` and `arrivalTime`, and the runner's defaults for cases that do not say
// (streamkit test --ordering / --arrival-time), through the real engine.
import { discoverCases, runCases } from "../../lib/simulator/testing";
import { runQuery } from "../../lib/simulator/run";
import { tree } from "./fixtures";

// A late event: 10:00:03 enqueued at 10:00:20 (late arrival 5 s). Locally it keeps its time; in
// cloud ordering it is adjusted to 10:00:15.
const JOB = {
  name: "late-job",
  query: { file: "late.asaql" },
  inputs: [{ alias: "input", kind: "eventhub" }],
  outputs: [{ alias: "output", kind: "blob" }],
};
const EVENTS = '{"Id": 1, "T": "2021-06-01T10:00:01Z", "EventEnqueuedUtcTime": "2021-06-01T10:00:01Z"}\n{"Id": 2, "T": "2021-06-01T10:00:03Z", "EventEnqueuedUtcTime": "2021-06-01T10:00:20Z"}\n';
const LOCAL = '{"Id": 1, "T": "2021-06-01T10:00:01.0000000Z"}\n{"Id": 2, "T": "2021-06-01T10:00:03.0000000Z"}\n';
const CLOUD = '{"Id": 1, "T": "2021-06-01T10:00:01.0000000Z"}\n{"Id": 2, "T": "2021-06-01T10:00:15.0000000Z"}\n';

function project(caseJson?: object) {
  return tree({
    "late/late.asaql": "SELECT Id, System.Timestamp() AS T FROM input TIMESTAMP BY T",
    "late/job.json": JOB,
    "late/tests/c/inputs/input.json": EVENTS,
    "late/tests/c/expected/output.json": LOCAL,
    "late/tests/d/inputs/input.json": EVENTS,
    "late/tests/d/expected/output.json": CLOUD,
    ...(caseJson ? { "late/tests/d/case.json": caseJson } : {}),
  });
}

test("a case is local unless its case.json says ordering: cloud", async () => {
  const t = project({ ordering: "cloud" });
  try {
    const results = await runCases(discoverCases([t.dir]), { runQuery });
    expect(results.map((r) => [r.testCase.name, r.status])).toEqual([
      ["late › c", "passed"],
      ["late › d", "passed"],
    ]);
  } finally {
    t.cleanup();
  }
});

test("the runner's ordering applies to cases that do not say (streamkit test --ordering cloud)", async () => {
  const t = project();
  try {
    const results = await runCases(discoverCases([t.dir]), { runQuery, ordering: "cloud" });
    expect(results.map((r) => r.status)).toEqual(["failed", "passed"]);
  } finally {
    t.cleanup();
  }
});

test("arrivalTime pins the time of events without one; a bad instant is a case error", async () => {
  const t = tree({
    "plain/plain.asaql": "SELECT Id, System.Timestamp() AS T FROM input",
    "plain/tests/ok/inputs/input.json": '{"Id": 1}\n',
    "plain/tests/ok/expected/output.json": '{"Id": 1, "T": "2024-01-01T00:00:00.0000000Z"}\n',
    "plain/tests/ok/case.json": { arrivalTime: "2024-01-01T00:00:00Z" },
    "plain/tests/bad/inputs/input.json": '{"Id": 1}\n',
    "plain/tests/bad/case.json": { arrivalTime: "yesterday" },
  });
  try {
    const results = await runCases(discoverCases([t.dir]), { runQuery });
    const byName = Object.fromEntries(results.map((r) => [r.testCase.name, r]));
    expect(byName["plain › ok"].status).toBe("passed");
    expect(byName["plain › bad"].status).toBe("failed");
    expect(byName["plain › bad"].error).toContain("an ISO 8601 instant with its zone, e.g. 2024-01-01T00:00:00Z");
  } finally {
    t.cleanup();
  }
});
