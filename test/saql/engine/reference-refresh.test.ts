// Reference data that refreshes by path pattern ({date}/{time}): a folder of snapshots, each valid
// from the time in its path on (stream-analytics-use-reference-data.md: "a sequence of blobs in
// ascending order of the date/time specified in the blob name").
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseJobSpec } from "../../../lib/job";
import { runQueryOnFiles } from "../../../lib/simulator/run-files";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sk-refresh-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, lines: unknown[]): void {
  const path = join(dir, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
}

const QUERY = "SELECT r.Id, d.Room\nINTO out\nFROM readings r TIMESTAMP BY T\nJOIN devices d ON r.DeviceId = d.DeviceId";

function job(pathPattern: string, dateFormat?: string, timeFormat?: string) {
  return parseJobSpec({
    name: "refresh",
    query: { text: QUERY },
    inputs: [
      { alias: "readings", kind: "eventhub", local: { path: "readings.json" } },
      { alias: "devices", type: "reference", kind: "blob", pathPattern, dateFormat, timeFormat, local: { path: "ref" } },
    ],
    outputs: [{ alias: "out", kind: "blob", local: { path: "out.json" } }],
  });
}

function rows(): unknown[] {
  return readFileSync(join(dir, "out.json"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
}

test("each event meets the snapshot valid at its time: the latest whose path time is not after it", async () => {
  write("ref/devices/2021-06-01/10-00/devices.json", [{ DeviceId: "a", Room: "Kitchen" }]);
  write("ref/devices/2021-06-01/10-30/devices.json", [{ DeviceId: "a", Room: "Garage" }, { DeviceId: "b", Room: "Attic" }]);
  write("ref/devices/2021-06-01/notes.txt", ["not a snapshot"]);
  write("readings.json", [
    { Id: 1, DeviceId: "a", T: "2021-06-01T10:10:00Z" },
    { Id: 2, DeviceId: "b", T: "2021-06-01T10:20:00Z" },
    { Id: 3, DeviceId: "a", T: "2021-06-01T10:30:00Z" },
    { Id: 4, DeviceId: "b", T: "2021-06-01T10:45:00Z" },
  ]);
  await runQueryOnFiles({ queryText: QUERY, job: job("devices/{date}/{time}/devices.json", "yyyy-MM-dd", "HH-mm"), jobDir: dir });
  expect(rows()).toEqual([
    { Id: 1, Room: "Kitchen" },
    { Id: 3, Room: "Garage" },
    { Id: 4, Room: "Attic" },
  ]);
});

test("the default formats are yyyy/MM/dd and HH", async () => {
  write("ref/2021/06/01/09/d.json", [{ DeviceId: "a", Room: "Kitchen" }]);
  write("ref/2021/06/01/11/d.json", [{ DeviceId: "a", Room: "Garage" }]);
  write("readings.json", [
    { Id: 1, DeviceId: "a", T: "2021-06-01T10:59:59Z" },
    { Id: 2, DeviceId: "a", T: "2021-06-01T11:00:00Z" },
  ]);
  await runQueryOnFiles({ queryText: QUERY, job: job("{date}/{time}/d.json"), jobDir: dir });
  expect(rows()).toEqual([
    { Id: 1, Room: "Kitchen" },
    { Id: 2, Room: "Garage" },
  ]);
});

test("an event before the first snapshot stops the run, naming the input, the time and the event", async () => {
  write("ref/2021/06/01/10/d.json", [{ DeviceId: "a", Room: "Kitchen" }]);
  write("readings.json", [{ Id: 1, DeviceId: "a", T: "2021-06-01T09:30:00Z" }]);
  await expect(runQueryOnFiles({ queryText: QUERY, job: job("{date}/{time}/d.json"), jobDir: dir })).rejects.toThrow(
    /reference input 'devices' has no snapshot valid at 2021-06-01T09:30:00.0000000Z \(its first snapshot is from 2021-06-01T10:00:00.0000000Z\) \(on the event at .*readings\.json:1\)/,
  );
});

test("a folder with no file matching the pattern is an error naming the pattern", async () => {
  write("ref/elsewhere/d.json", [{ DeviceId: "a", Room: "Kitchen" }]);
  write("readings.json", [{ Id: 1, DeviceId: "a", T: "2021-06-01T09:30:00Z" }]);
  await expect(runQueryOnFiles({ queryText: QUERY, job: job("{date}/{time}/d.json"), jobDir: dir })).rejects.toThrow(
    /no reference data file under '.*ref' matches the path pattern '\{date\}\/\{time\}\/d\.json'/,
  );
});
