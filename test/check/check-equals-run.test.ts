// `check` ≡ `run`, over the whole front-end corpus: for every query, with and without a job,
// if `streamkit check` passes it, `run` on empty inputs does not fail before the first event;
// and whatever `check` refuses it locates in the query (line and column) unless it concerns the
// whole job. `check` is driven in-process exactly as a user calls it.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../lib/cli/main";
import { parseJobSpec } from "../../lib/job";
import { checkQuery } from "../../lib/saql";
import { runQuery } from "../../lib/simulator/run";

const JOB_FILE = join(__dirname, "jobs/telemetry.json");
const job = parseJobSpec(JSON.parse(readFileSync(JOB_FILE, "utf8")));
const queries = ["valid", "broken"].flatMap((dir) =>
  readdirSync(join(__dirname, dir))
    .filter((f) => f.endsWith(".asaql"))
    .sort()
    .map((f) => join(__dirname, dir, f)),
);

interface CheckJson {
  diagnostics: { severity: string; startLine: number; startColumn: number; isGlobal: boolean; code: string; message: string }[];
}

async function checkJson(file: string, withJob: boolean): Promise<{ code: number; result: CheckJson }> {
  let stdout = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await main(["node", "streamkit", "check", file, "--format", "json", ...(withJob ? ["--job", JOB_FILE] : [])]);
    return { code, result: JSON.parse(stdout) as CheckJson };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** The run `streamkit run` would do, on empty files for every input the query or the job names. */
function runOnEmptyInputs(text: string, file: string, withJob: boolean) {
  const aliases = new Set([...checkQuery(text).inputs, ...(withJob ? job.inputs.map((i) => i.alias) : [])]);
  return runQuery({ queryText: text, queryFile: file, job: withJob ? job : undefined, jobDir: __dirname, inputs: [...aliases].map((alias) => ({ alias, events: [] })), collect: false });
}

describe("check ≡ run over the front-end corpus", () => {
  const tally = { clean: 0, refusedOnlyByTheRun: 0 };

  it.each([false, true])("with a job: %s", async (withJob) => {
    for (const file of queries) {
      const text = readFileSync(file, "utf8");
      const { code, result } = await checkJson(file, withJob);
      const errors = result.diagnostics.filter((d) => d.severity === "error");
      expect(code).toBe(errors.length ? 1 : 0);
      for (const d of errors) {
        if (!d.isGlobal) expect([file, d.startLine >= 1 && d.startColumn >= 1]).toEqual([file, true]);
      }
      if (errors.length === 0) {
        tally.clean++;
        await expect(runOnEmptyInputs(text, file, withJob).then(() => "ran")).resolves.toBe("ran");
      } else if (!checkQuery(text, { job: withJob ? job : undefined, local: true }).diagnostics.some((d) => d.severity === "error")) {
        // The static checker passed it: only starting the run found the problem.
        tally.refusedOnlyByTheRun++;
        await expect(runOnEmptyInputs(text, file, withJob)).rejects.toThrow(errors[0].message.split(" (")[0]);
      }
    }
  });

  afterAll(() => {
    // Neither half is empty: many queries run, and some are caught only by asking the run.
    expect(tally.clean).toBeGreaterThan(100);
    expect(tally.refusedOnlyByTheRun).toBeGreaterThan(5);
  });
});
