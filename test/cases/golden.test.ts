// Every engine golden case under test/cases/<name>/: the query runs on inputs/<alias>.json
// (with job.json's settings when present) and each output must equal expected/<alias>.json
// (JSON lines, as ASA writes them). Rows compare as a multiset unless case.json says
// {"ordered": true}. case.json may also say {"ordering": "cloud"} (the job's event-ordering
// policy on events in arrival order; default: local files in event-time order) and
// {"arrivalTime": "<ISO 8601>"} (the arrival time of events that carry none; default: run start).
// A case may instead expect an error (expected-error.txt: the whole message with its location,
// e.g. "query.asaql:3:5: …") and may check counters (expected/stats.json).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join, sep } from "node:path";
import { StreamkitError } from "../../lib/core/errors";
import { openEventSource, requireSerializationFromPath, toOutputJson } from "../../lib/io";
import { parseJobSpec, type JobSpec } from "../../lib/job";
import { parseArrivalTime } from "../../lib/simulator/ordering";
import { runQuery, type Ordering, type RunInput } from "../../lib/simulator/run";

const CASES = __dirname;

interface CaseOptions {
  ordered?: boolean;
  ordering?: Ordering;
  arrivalTime?: string;
}

function readJsonLines(path: string): unknown[] {
  const text = readFileSync(path, "utf8").trim();
  if (!text) return [];
  if (text.startsWith("[")) return JSON.parse(text) as unknown[];
  return text.split(/\r?\n/).filter((l) => l.trim()).map((l) => JSON.parse(l));
}

const caseNames = readdirSync(CASES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join(CASES, d.name, "query.asaql")))
  .map((d) => d.name)
  .sort();

test("the golden cases are there, each with its source", () => {
  expect(caseNames.length).toBeGreaterThan(0);
  for (const name of caseNames) expect(existsSync(join(CASES, name, "source.md"))).toBe(true);
});

describe.each(caseNames)("%s", (name) => {
  const dir = join(CASES, name);
  test("gives the rows ASA writes", async () => {
    const queryFile = join(dir, "query.asaql");
    const queryText = readFileSync(queryFile, "utf8");
    const options: CaseOptions = existsSync(join(dir, "case.json")) ? JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) : {};
    let job: JobSpec | undefined;
    if (existsSync(join(dir, "job.json"))) {
      const raw = JSON.parse(readFileSync(join(dir, "job.json"), "utf8"));
      job = parseJobSpec({ name: "golden-case", query: { file: "query.asaql" }, ...raw }, join(dir, "job.json"));
    }
    const runOptions = { ordering: options.ordering, arrivalTime: options.arrivalTime === undefined ? undefined : arrivalTimeOf(options.arrivalTime) };
    const inputDir = join(dir, "inputs");
    const inputs: RunInput[] = existsSync(inputDir)
      ? readdirSync(inputDir).map((file) => {
          const alias = basename(file).replace(/\..*$/, "");
          const spec = job?.inputs.find((i) => i.alias.toLowerCase() === alias.toLowerCase());
          const path = join(inputDir, file);
          return {
            alias: spec?.alias ?? alias,
            events: openEventSource(path, spec?.serialization ?? requireSerializationFromPath(path), {
              arrivalTimeField: spec?.local?.arrivalTimeField,
            }),
          };
        })
      : [];
    const expectedError = join(dir, "expected-error.txt");
    if (existsSync(expectedError)) {
      let message = "no error";
      try {
        await runQuery({ queryText, queryFile, job, inputs, ...runOptions });
      } catch (error) {
        expect(error).toBeInstanceOf(StreamkitError);
        // The whole message with its location; files are named relative to the case's folder.
        message = (error as StreamkitError).describe().split(dir + sep).join("");
      }
      expect(message).toBe(readFileSync(expectedError, "utf8").trim());
      return;
    }
    const result = await runQuery({ queryText, queryFile, job, inputs, ...runOptions });
    const expectedDir = join(dir, "expected");
    const expectedFiles = readdirSync(expectedDir).filter((f) => f !== "stats.json");
    const actual: Record<string, unknown[]> = {};
    for (const [alias, rows] of Object.entries(result.outputs)) actual[alias.toLowerCase()] = rows.map((r) => toOutputJson(r));
    for (const file of expectedFiles) {
      const alias = file.replace(/\.json$/, "").toLowerCase();
      const expected = readJsonLines(join(expectedDir, file));
      const got = actual[alias];
      expect({ alias, rows: got === undefined ? "no such output" : options.ordered ? got : sortRows(got) }).toEqual({
        alias,
        rows: options.ordered ? expected : sortRows(expected),
      });
    }
    // Every output the query wrote is checked.
    expect(Object.keys(actual).sort()).toEqual(expectedFiles.map((f) => f.replace(/\.json$/, "").toLowerCase()).sort());
    const statsFile = join(expectedDir, "stats.json");
    if (existsSync(statsFile)) expect(result.stats).toMatchObject(JSON.parse(readFileSync(statsFile, "utf8")));
  });
});

function sortRows(rows: unknown[]): unknown[] {
  return [...rows].sort((a, b) => {
    const x = JSON.stringify(a);
    const y = JSON.stringify(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** case.json `arrivalTime`, exact to 100 ns; a text that is not an instant fails the case. */
function arrivalTimeOf(text: string) {
  const t = parseArrivalTime(text);
  if (!t) throw new Error(`case.json arrivalTime '${text}' is not an ISO 8601 instant with its zone`);
  return t;
}
