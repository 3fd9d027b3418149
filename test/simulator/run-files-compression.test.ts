// A local file says itself whether it is compressed, whatever the job's input declares for the
// live stream: an Event Hub input with CompressionType GZip (as a VS Code project imitating
// aessam01/asa-tadtaplt-resort-dev declares it) run on a plain sample, and the reverse.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parseJobSpec } from "../../lib/job";
import { runQueryOnFiles } from "../../lib/simulator/run-files";

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), "sk-compression-"))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const EVENTS = '{"Id":1}\n{"Id":2}\n';

function job(compression: "gzip" | "none") {
  return parseJobSpec({
    name: "compression",
    query: { text: "SELECT Id INTO out FROM hub" },
    inputs: [{ alias: "hub", kind: "eventhub", serialization: { type: "json", compression }, local: { path: "sample.json" } }],
    outputs: [{ alias: "out", kind: "blob", local: { path: "out.json" } }],
  });
}

async function ids(spec: ReturnType<typeof job>, explicitPath?: string): Promise<unknown[]> {
  await runQueryOnFiles({ queryText: spec.query.text!, job: spec, jobDir: dir, inputs: explicitPath ? [{ alias: "hub", path: explicitPath }] : [] });
  return readFileSync(join(dir, "out.json"), "utf8").trim().split("\n").map((l) => JSON.parse(l).Id);
}

test("a plain sample of an input declared GZip is read as plain text (its local file or one given with --input)", async () => {
  writeFileSync(join(dir, "sample.json"), EVENTS);
  expect(await ids(job("gzip"))).toEqual([1, 2]);
  writeFileSync(join(dir, "given.json"), EVENTS);
  expect(await ids(job("gzip"), join(dir, "given.json"))).toEqual([1, 2]);
});

test("a gzip sample of an input declared uncompressed is unpacked", async () => {
  writeFileSync(join(dir, "sample.json"), new Uint8Array(gzipSync(EVENTS)));
  expect(await ids(job("none"))).toEqual([1, 2]);
});
