// Events nested thousands of levels deep: JSON.parse accepts them, so every reader, step and
// writer either handles them or counts the event as a data error at file:line and goes on.
import { readFileSync, writeFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { join } from "node:path";
import { runCliInProcess } from "../cli/cli-in-process";
import { readAll, tempDir } from "../io/helpers";
import { deepJsonText, jsonText } from "../../lib/io/writers/json-text";

const DEPTH = 6000;
const deepText = "{\"a\":".repeat(DEPTH) + "1" + "}".repeat(DEPTH);

/** How deep a parsed value is, walked without recursion. */
function depthOf(value: unknown): number {
  let depth = 0;
  let v = value;
  while (v !== null && typeof v === "object") {
    depth++;
    v = (v as { a?: unknown }).a;
  }
  return depth;
}

const events = [
  `{"ts":"2024-01-01T00:00:00Z","x":{"a":1}}`,
  `{"ts":"2024-01-01T00:00:01Z","x":${deepText}}`,
  `{"ts":"2024-01-01T00:00:02Z","x":{"a":3}}`,
];

function job(outputs: { alias: string; serialization: Record<string, unknown> }[]) {
  return {
    name: "deep-json",
    query: { file: "q.asaql" },
    inputs: [{ alias: "inp", type: "stream", kind: "blob", serialization: { type: "json", encoding: "utf8", compression: "none" } }],
    outputs: outputs.map((o) => ({ alias: o.alias, kind: "blob", serialization: { encoding: "utf8", compression: "none", ...o.serialization } })),
  };
}

describe("deeply nested JSON events", () => {
  it("jsonText writes any depth exactly as JSON.stringify does", () => {
    const samples = [{ a: [1, "x\n", null, undefined, () => 1, NaN], b: undefined, c: { toJSON: () => "t" }, d: true }, [undefined], "s", 3];
    for (const v of samples) expect(deepJsonText(v)).toBe(JSON.stringify(v));
    expect(jsonText(JSON.parse(deepText))).toBe(deepText);
  });

  it.each(["lines", "array"])("a run reads them from JSON %s and writes every output format with them", async (layout) => {
    const t = tempDir();
    try {
      const input = t.path("in.json");
      writeFileSync(input, layout === "lines" ? events.join("\n") + "\n" : `[\n${events.join(",\n")}\n]\n`);
      writeFileSync(t.path("q.asaql"), ["jl", "arr", "csv", "gz", "av"].map((o) => `SELECT * INTO ${o} FROM inp`).join("\n"));
      writeFileSync(
        t.path("job.json"),
        JSON.stringify(
          job([
            { alias: "jl", serialization: { type: "json" } },
            { alias: "arr", serialization: { type: "json", format: "array" } },
            { alias: "csv", serialization: { type: "csv", fieldDelimiter: "," } },
            { alias: "gz", serialization: { type: "json", compression: "gzip" } },
            { alias: "av", serialization: { type: "avro" } },
          ]),
        ),
      );
      const r = await runCliInProcess(["run", "--job", t.path("job.json"), "--input", `inp=${input}`, "--out", t.path("out"), "--quiet"]);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      const lines = readFileSync(t.path("out/jl.json"), "utf8").trim().split("\n");
      expect(lines.map((l) => depthOf(JSON.parse(l).x))).toEqual([1, DEPTH, 1]);
      expect(JSON.parse(readFileSync(t.path("out/arr.json"), "utf8")).map((r: { x: unknown }) => depthOf(r.x))).toEqual([1, DEPTH, 1]);
      expect(gunzipSync(new Uint8Array(readFileSync(t.path("out/gz.json.gz")))).toString("utf8").trim().split("\n")).toEqual(lines);
      const csv = readFileSync(t.path("out/csv.csv"), "utf8");
      expect(csv.length).toBeGreaterThan(deepText.length);
      expect(csv.split("\n")[0]).toBe("ts,x");
      const avro = await readAll(t.path("out/av.avro"), { type: "avro", encoding: "utf8", compression: "none" });
      expect(avro.records.map((r) => depthOf(JSON.parse(r.x as string)))).toEqual([1, DEPTH, 1]);
    } finally {
      t.cleanup();
    }
  });

  it("a step that cannot walk one counts it as a data error at file:line and the run goes on", async () => {
    const t = tempDir();
    try {
      const input = t.path("in.json");
      writeFileSync(input, events.join("\n") + "\n");
      const query = t.path("q.asaql");
      writeFileSync(query, "SELECT x, COUNT(*) AS n INTO grouped FROM inp TIMESTAMP BY ts GROUP BY x, TumblingWindow(minute, 1)");
      const r = await runCliInProcess(["run", query, "--input", `inp=${input}`, "--out", t.path("out")]);
      expect(r.code).toBe(0);
      expect(r.stderr).toContain(`${input}:2: the event could not be processed: Maximum call stack size exceeded`);
      expect(r.stdout).toContain("rows skipped on data errors: 1");
      const rows = readFileSync(join(t.path("out"), "grouped.json"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
      expect(rows).toEqual([
        { x: { a: 1 }, n: 1 },
        { x: { a: 3 }, n: 1 },
      ]);
    } finally {
      t.cleanup();
    }
  });
});
