// Runs test cases: opens each input file, runs the query through the engine, compares every
// required output with its expected file, and (with `update`) rewrites expected files.
import { isBadData, overMaxErrors } from "../../core/data-errors";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { StreamkitError } from "../../core/errors";
import { readExpectedRows } from "../../io/expected";
import { serializationFromPath } from "../../io/formats";
import { openEventSource } from "../../io/source";
import { openCaptureSource } from "../../io/capture";
import { decimalSeparatorOf, toCsvField, writeOutputFile } from "../../io/writers";
import { formatLocation } from "../../core/errors";
import type { Serialization } from "../../job";
import type { DeserializationError } from "../../io/types";
import type { RecordValue } from "../../saql/values";
import { compareRows } from "./compare";
import type { CaseResult, OutputComparison, RunQuery, TestCase } from "./types";
import type { DateTimeValue } from "../../saql/values";

const JSON_LINES: Serialization = { type: "json", encoding: "utf8", compression: "none" };

export interface RunCasesOptions {
  runQuery: RunQuery;
  /** Rewrite expected files with the actual rows (after a reviewed change). */
  update?: boolean;
  /** Called as each case finishes, for live reporting. */
  onResult?: (result: CaseResult) => void;
  /** Ordering of cases whose case.json does not say (default local). */
  ordering?: "local" | "cloud";
  /** Arrival time of events that carry none, for cases whose case.json does not say. */
  arrivalTime?: DateTimeValue | number;
}

export async function runCases(cases: TestCase[], options: RunCasesOptions): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  for (const testCase of cases) {
    const result = await runCase(testCase, options);
    options.onResult?.(result);
    results.push(result);
  }
  return results;
}

export function describeError(error: unknown): string {
  if (error instanceof StreamkitError) return error.describe();
  return (error as Error)?.message ?? String(error);
}

export async function runCase(testCase: TestCase, options: RunCasesOptions): Promise<CaseResult> {
  const started = Date.now();
  const deserializationErrors: string[] = [];
  const result = (status: CaseResult["status"], outputs: OutputComparison[], error?: string): CaseResult => ({
    testCase,
    status,
    outputs,
    error,
    deserializationErrors,
    durationMs: Date.now() - started,
  });
  if (testCase.setupError || !testCase.job) return result("failed", [], describeError(testCase.setupError ?? "the case has no job"));
  const job = testCase.job;

  let actual: Record<string, RecordValue[]>;
  let badData = 0;
  try {
    const onDeserializationError = (e: DeserializationError) => {
      badData++;
      deserializationErrors.push(`${formatLocation(e.location)}: ${e.message}`);
    };
    const inputs = testCase.inputs.map((input) => ({
      alias: input.alias,
      events: input.capture
        ? openCaptureSource(input.path, { body: input.serialization, ...input.capture, onDeserializationError })
        : openEventSource(input.path, input.serialization, { arrivalTimeField: input.arrivalTimeField, onDeserializationError }),
    }));
    actual = (
      await options.runQuery({
        queryText: job.queryText,
        queryFile: job.queryFile,
        job: job.spec,
        jobDir: job.file ? dirname(job.file) : job.queryFile ? dirname(job.queryFile) : undefined,
        inputs,
        ordering: testCase.ordering ?? options.ordering,
        arrivalTime: testCase.arrivalTime ?? options.arrivalTime,
        // An input read again sorted: its reading errors come again.
        onRestart: () => {
          deserializationErrors.splice(0);
          badData = 0;
        },
        onWarning: (w) => {
          if (isBadData(w.type)) badData++;
          deserializationErrors.push(w.origin ? `${w.origin}: ${w.message}` : w.message);
        },
      })
    ).outputs;
  } catch (error) {
    const text = describeError(error);
    const code = error instanceof StreamkitError ? error.code : "";
    if (testCase.expectedError && (text.includes(testCase.expectedError) || code === testCase.expectedError)) return result("passed", []);
    return result("failed", [], text);
  }
  if (testCase.expectedError) {
    return result("failed", [], `expected the run to fail with '${testCase.expectedError}', but it succeeded`);
  }
  const over = overMaxErrors(badData, testCase.maxErrors, "maxErrors");
  if (over) return result("failed", [], over);

  const outputOf = (alias: string): RecordValue[] => {
    const key = Object.keys(actual).find((k) => k.toLowerCase() === alias.toLowerCase());
    return key === undefined ? [] : actual[key];
  };
  const comparisons: OutputComparison[] = [];
  try {
    for (const expected of testCase.expected.filter((e) => e.required)) {
      // ASA's tools write results as JSON: an expected file with another extension is read as JSON.
      const serialization = expected.serialization ?? serializationFromPath(expected.path) ?? JSON_LINES;
      const rows = options.update && !existsSync(expected.path) ? [] : await readExpectedRows(expected.path, serialization);
      if (serialization.type === "csv") {
        const decimal = decimalSeparatorOf(job.spec.dataLocale);
        comparisons.push(compareRows(expected.alias, expected.path, rows.map((row) => csvNumbersFrom(row, decimal)), asCsvFields(outputOf(expected.alias)), testCase.compare));
      } else comparisons.push(compareRows(expected.alias, expected.path, rows, outputOf(expected.alias), testCase.compare));
    }
  } catch (error) {
    return result("failed", comparisons, describeError(error));
  }
  if (options.update) return update(testCase, actual, comparisons, result);
  return result(comparisons.every((c) => c.pass) ? "passed" : "failed", comparisons);
}

/** How to rewrite an expected file: its format, and for JSON the layout it has now (array or lines). */
function layoutOf(file: string): Serialization {
  const serialization = serializationFromPath(file) ?? JSON_LINES;
  if (serialization.type !== "json" || serialization.compression !== "none" || !existsSync(file)) return serialization;
  const head = readFileSync(file, "utf8").trimStart();
  return { ...serialization, format: head.startsWith("[") ? "array" : "lineSeparated" };
}

/** Writes the actual rows over each differing expected file (and, in streamkit's layout, new ones). */
function update(
  testCase: TestCase,
  actual: Record<string, RecordValue[]>,
  comparisons: OutputComparison[],
  result: (status: CaseResult["status"], outputs: OutputComparison[], error?: string) => CaseResult,
): CaseResult {
  let changed = false;
  for (const c of comparisons) {
    if (c.pass) continue;
    const key = Object.keys(actual).find((k) => k.toLowerCase() === c.alias.toLowerCase());
    writeOutputFile(c.expectedFile, key ? actual[key] : [], layoutOf(c.expectedFile), testCase.job && decimalSeparatorOf(testCase.job.spec.dataLocale));
    changed = true;
  }
  if (testCase.expectedDir) {
    const known = new Set(testCase.expected.map((e) => e.alias.toLowerCase()));
    for (const [alias, rows] of Object.entries(actual)) {
      if (known.has(alias.toLowerCase())) continue;
      writeOutputFile(join(testCase.expectedDir, `${alias}.json`), rows);
      changed = true;
    }
  }
  return result(changed ? "updated" : "passed", comparisons);
}

/**
 * Rows as a CSV file holds them, to compare with a CSV expected file: every field of every row
 * (a row without a field has it empty), each as its CSV text, NULL as an empty field (a CSV file
 * cannot tell NULL from an empty text). Numeric and datetime text still compare as values.
 */
function asCsvFields(rows: RecordValue[]): RecordValue[] {
  const columns = new Map<string, string>();
  for (const row of rows) for (const key of Object.keys(row)) if (!columns.has(key.toLowerCase())) columns.set(key.toLowerCase(), key);
  return rows.map((row) => {
    const out: RecordValue = {};
    for (const key of columns.values()) out[key] = toCsvField(row[key]);
    return out;
  });
}

/**
 * A CSV expected file written by ASA for a job whose DataLocale has a decimal comma holds
 * `1,5`: read as the number text `1.5` (numeric text compares as a number). Other text stays.
 */
function csvNumbersFrom(row: RecordValue, decimalSeparator: string): RecordValue {
  if (decimalSeparator === ".") return row;
  const out: RecordValue = {};
  for (const [key, value] of Object.entries(row)) {
    const text = typeof value === "string" ? value.replace(decimalSeparator, ".") : undefined;
    out[key] = text !== undefined && text !== value && text.trim() !== "" && Number.isFinite(Number(text)) ? text : value;
  }
  return out;
}
