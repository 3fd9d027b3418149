// Outputs are committed as a set, and a run leaves no temporary file behind: not when it fails,
// not when SIGINT/SIGTERM end it, and a SIGKILLed run's files are removed by the next run.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { STREAMKIT_BIN } from "../cli/cli-process";
import { runCliInProcess } from "../cli/cli-in-process";
import { readAll, ser, tempDir } from "../io/helpers";

const deep = "{\"a\":".repeat(6000) + "1" + "}".repeat(6000);

function setup(t: ReturnType<typeof tempDir>, events: string, outputs: Record<string, string>) {
  writeFileSync(t.path("in.json"), events);
  writeFileSync(t.path("q.asaql"), Object.keys(outputs).map((o) => `SELECT * INTO ${o} FROM inp`).join("\n"));
  writeFileSync(
    t.path("job.json"),
    JSON.stringify({
      name: "output-set",
      query: { file: "q.asaql" },
      inputs: [{ alias: "inp", type: "stream", kind: "blob", serialization: { type: "json", encoding: "utf8", compression: "none" } }],
      outputs: Object.entries(outputs).map(([alias, type]) => ({ alias, kind: "blob", serialization: { type, encoding: "utf8", compression: "none" } })),
    }),
  );
  return ["run", "--job", t.path("job.json"), "--input", `inp=${t.path("in.json")}`, "--out", t.path("out"), "--quiet"];
}

const tmpFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith(".tmp"));

describe("output files", () => {
  it("a value nested too deeply for a Parquet JSON column is one output data error: the row is skipped, the run goes on", async () => {
    const t = tempDir();
    try {
      const args = setup(t, `{"x":1}\n{"x":${deep}}\n{"x":{"a":3}}\n`, { first: "json", second: "parquet" });
      const report = t.path("run.json");
      const r = await runCliInProcess([...args.filter((a) => a !== "--quiet"), "--report", report]);
      expect(r.code).toBe(0);
      const second = t.path("out/second.parquet");
      expect(r.stderr).toBe(`warning: ${second}:2: column 'x' holds a value nested more than 1000 levels deep, more than a Parquet JSON column takes: row skipped [OutputDataConversionError.TypeConversionError]\n`);
      expect(r.stdout).toContain("output second: 2 row(s) written");
      expect(r.stdout).toContain("rows skipped on data errors: 1");
      expect(JSON.parse(readFileSync(report, "utf8")).dataErrors.byType["OutputDataConversionError.TypeConversionError"]).toEqual({
        count: 1,
        first: [{ location: `${second}:2`, message: expect.stringContaining("nested more than 1000 levels") }],
      });
      expect((await readAll(second, ser("parquet"))).records).toEqual([{ x: 1 }, { x: { a: 3 } }]);
      expect(readFileSync(t.path("out/first.json"), "utf8").trim().split("\n")).toHaveLength(3);
      // A data quality gate counts it like any value that failed to convert.
      expect((await runCliInProcess([...args, "--max-errors", "0"])).code).toBe(1);
      expect(tmpFiles(t.path("out"))).toEqual([]);
    } finally {
      t.cleanup();
    }
  });

  it("an integer an Avro long cannot take is one output data error too: the row is skipped, the run goes on", async () => {
    const t = tempDir();
    try {
      const args = setup(t, `{"x":1}\n{"x":1e20}\n{"x":3}\n`, { av: "avro" });
      const r = await runCliInProcess(args.filter((a) => a !== "--quiet"));
      expect(r.code).toBe(0);
      const file = t.path("out/av.avro");
      expect(r.stderr).toBe(`warning: ${file}:2: column 'x' holds 100000000000000000000, an integer an Avro long cannot take here (beyond ±2^53): row skipped [OutputDataConversionError.TypeConversionError]\n`);
      expect(r.stdout).toContain("output av: 2 row(s) written");
      expect((await readAll(file, ser("avro"))).records).toEqual([{ x: 1 }, { x: 3 }]);
    } finally {
      t.cleanup();
    }
  });

  it("an output path that is a folder fails the set before any file is replaced", async () => {
    const t = tempDir();
    try {
      const args = setup(t, `{"x":1}\n`, { first: "json", second: "csv" });
      mkdirSync(t.path("out/second.csv"), { recursive: true });
      writeFileSync(t.path("out/first.json"), "old first\n");
      const r = await runCliInProcess(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("second.csv': it is a folder");
      expect(readFileSync(t.path("out/first.json"), "utf8")).toBe("old first\n");
      expect(tmpFiles(t.path("out"))).toEqual([]);
    } finally {
      t.cleanup();
    }
  });

  describe("a run ended by a signal", () => {
    let child: ChildProcess | undefined;
    afterEach(() => {
      child?.kill("SIGKILL");
      child = undefined;
    });

    /** Starts a long run and resolves once its output's temporary file exists. */
    async function startLongRun(t: ReturnType<typeof tempDir>): Promise<ChildProcess> {
      const line = '{"ts":"2024-01-01T00:00:00Z","device":"sensor-0001","value":21.5,"tags":["a","b"]}\n';
      const args = setup(t, line.repeat(400_000), { big: "csv" });
      mkdirSync(t.path("out"));
      const started = spawn(process.execPath, [STREAMKIT_BIN, ...args], { stdio: "ignore" });
      child = started;
      const deadline = Date.now() + 30_000;
      while (tmpFiles(t.path("out")).length === 0) {
        if (Date.now() > deadline || started.exitCode !== null) throw new Error("the run never opened its output");
        await new Promise((r) => setTimeout(r, 20));
      }
      return started;
    }

    const exited = (c: ChildProcess) => new Promise<NodeJS.Signals | null>((resolve) => c.once("exit", (_code, signal) => resolve(signal)));

    it.each(["SIGINT", "SIGTERM"] as const)("%s removes its temporary files", async (signal) => {
      const t = tempDir();
      try {
        const run = await startLongRun(t);
        const end = exited(run);
        run.kill(signal);
        expect(await end).toBe(signal);
        expect(readdirSync(t.path("out"))).toEqual([]);
      } finally {
        t.cleanup();
      }
    });

    it("SIGKILL leaves them, carrying the pid, for the next run to remove", async () => {
      const t = tempDir();
      try {
        const run = await startLongRun(t);
        const end = exited(run);
        run.kill("SIGKILL");
        await end;
        const left = tmpFiles(t.path("out"));
        expect(left.length).toBeGreaterThan(0);
        for (const f of left) expect(f).toContain(`.${run.pid}.`);
        // A temporary file of a process still running is not touched.
        const alive = `big.csv.${process.pid}.x1.tmp`;
        writeFileSync(t.path(`out/${alive}`), "");
        writeFileSync(t.path("in.json"), '{"x":1}\n');
        const again = spawnSync(process.execPath, [STREAMKIT_BIN, "run", "--job", t.path("job.json"), "--input", `inp=${t.path("in.json")}`, "--out", t.path("out"), "--quiet"], { encoding: "utf8" });
        expect(again.status).toBe(0);
        expect(readdirSync(t.path("out")).sort()).toEqual(["big.csv", alive]);
      } finally {
        t.cleanup();
      }
    });
  });
});
