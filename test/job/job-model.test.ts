import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { StreamkitErrors } from "../../lib/core/errors";
import { defineJob, loadJobFile, parseJobSpec, saveJobFile } from "../../lib/job";

function errorsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof StreamkitErrors) return error.errors.map((e) => `${e.location?.jsonPath}: ${e.message}`);
    throw error;
  }
  throw new Error("expected the job to be rejected");
}

describe("job model", () => {
  it("fills ASA's defaults", () => {
    const job = defineJob({ name: "telemetry", query: { text: "SELECT * INTO out FROM inp" }, inputs: [{ alias: "inp", kind: "eventhub" }] });
    expect(job.compatibilityLevel).toBe("1.2");
    expect(job.eventOrdering).toEqual({ lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: 0, policy: "adjust" });
    expect(job.outputErrorPolicy).toBe("stop");
    expect(job.inputs[0]!.type).toBe("stream");
    expect(job.inputs[0]!.serialization).toEqual({ type: "json", encoding: "utf8", compression: "none" });
  });

  it("reports each mistake with its JSON path", () => {
    const errors = errorsOf(() =>
      parseJobSpec({
        name: "job",
        query: {},
        inputs: [{ alias: "a", kind: "eventhub", serialization: { type: "xml" } }, { alias: "r", type: "reference", kind: "eventhub" }],
        eventOrdering: { outOfOrderMaxDelaySeconds: 900 },
      }),
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^query: a query has a text or a file/),
        expect.stringMatching(/^inputs\[0\]\.serialization\.type: /),
        expect.stringMatching(/^inputs\[1\]\.kind: a reference input cannot be of kind 'eventhub'/),
        expect.stringMatching(/^eventOrdering\.outOfOrderMaxDelaySeconds: /),
      ]),
    );
  });

  it("takes Event Hubs Capture files as an Event Hub or IoT Hub input's local events, and nothing else", () => {
    const spec = (input: object) => ({ name: "job", query: { text: "" }, inputs: [{ alias: "a", ...input }] });
    const capture = { path: "capture/", kind: "capture", capturePathFormat: "{Year}/{Namespace}/{EventHub}/{PartitionId}/{Month}/{Day}/{Hour}/{Minute}/{Second}" };
    expect(parseJobSpec(spec({ kind: "iothub", local: capture })).inputs[0].local).toEqual(capture);
    expect(errorsOf(() => parseJobSpec(spec({ kind: "blob", local: capture })))).toEqual([expect.stringMatching(/^inputs\[0\]\.local\.kind: Event Hubs Capture files replay an Event Hub or IoT Hub stream input/)]);
    expect(errorsOf(() => parseJobSpec(spec({ kind: "eventhub", local: { path: "in.json", capturePathFormat: "{Year}" } })))).toEqual([
      expect.stringMatching(/^inputs\[0\]\.local\.capturePathFormat: capturePathFormat applies to kind 'capture' only/),
    ]);
  });

  it("rejects duplicate aliases, case-insensitively", () => {
    const spec = { name: "job", query: { text: "" }, inputs: [{ alias: "a", kind: "eventhub" }], outputs: [{ alias: "A", kind: "sql" }] };
    expect(errorsOf(() => parseJobSpec(spec))).toEqual([expect.stringMatching(/^outputs\[0\]\.alias: duplicate name 'a'/)]);
  });

  it("rejects unknown keys (a typo is a mistake, not a silent default)", () => {
    expect(errorsOf(() => parseJobSpec({ name: "job", query: { text: "" }, compatibilityLevle: "1.2" }))).toEqual([
      expect.stringMatching(/compatibilityLevle/),
    ]);
  });

  describe("files", () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "streamkit-job-"))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it("loads the query file relative to the job file and writes the job back", () => {
      writeFileSync(join(dir, "q.asaql"), "SELECT * FROM input");
      writeFileSync(join(dir, "job.json"), JSON.stringify({ name: "job", query: { file: "q.asaql" } }));
      const loaded = loadJobFile(join(dir, "job.json"));
      expect(loaded.queryText).toBe("SELECT * FROM input");
      expect(loaded.queryFile).toBe(join(dir, "q.asaql"));
      saveJobFile(join(dir, "out.json"), loaded.spec);
      expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8"))).toEqual(loaded.spec);
    });

    it("names the file when it is missing or not JSON", () => {
      expect(() => loadJobFile(join(dir, "nope.json"))).toThrow(/job file not found: .*nope\.json/);
      writeFileSync(join(dir, "bad.json"), "{ name: ");
      expect(() => loadJobFile(join(dir, "bad.json"))).toThrow(/not valid JSON/);
    });
  });
});
