// Azure's query test: POST …/locations/{location}/testQuery (API 2021-10-01-preview, a
// long-running operation whose result is read from Location). The job travels whole, each
// input as a "Raw" datasource carrying the sample events as a JSON payload, each output as a
// "Raw" datasource with no payloadUri, so Azure writes the results to temporary storage and
// answers with a SAS URL (outputUri) to them.
import { existsSync, readFileSync } from "node:fs";
import { StreamkitError } from "../core/errors";
import { resolveFrom, type JobSpec } from "../job";
import type { ArmClient } from "./arm-client";
import { locationPath, PREVIEW_API_VERSION, type CompileTarget } from "./compile-query";
import { ArmError } from "./errors";
import { isLoopbackUrl } from "./endpoint";
import { waitForOperation, type LroProgress } from "./lro";

/** QueryTestingResult: `status` plus the ARM error body when it failed. */
export interface QueryTestingResult {
  status?: "Started" | "Success" | "CompilerError" | "RuntimeError" | "Timeout" | "UnknownError" | string;
  outputUri?: string;
  error?: { code?: string; message?: string };
}

/** Offsets where each top-level element of a JSON array text starts and ends (strings and nesting respected). */
function arrayElements(text: string): { start: number; end: number }[] | undefined {
  const open = text.indexOf("[");
  const elements: { start: number; end: number }[] = [];
  let depth = 0;
  let inString = false;
  let start = open + 1;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === "\\") i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === "[" || ch === "{") depth++;
    else if (ch === "]" || ch === "}") {
      depth--;
      if (depth === 0) {
        if (text.slice(start, i).trim() !== "") elements.push({ start, end: i });
        return elements;
      }
    } else if (ch === "," && depth === 1) {
      elements.push({ start, end: i });
      start = i + 1;
    }
  }
  return undefined;
}

function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

function firstLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split("\n")[0]!;
}

/** Events of a local JSON file (one array, or one object per line) as a JSON array text; a mistake names its line. */
export function readJsonEvents(file: string): string {
  if (!existsSync(file)) throw new StreamkitError(`sample input not found: ${file}`, { file }, "TEST_REMOTE_INPUT");
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  if (text.trimStart().startsWith("[")) {
    try {
      return JSON.stringify(JSON.parse(text));
    } catch (error) {
      // Find the element at fault: the line it starts on, as the local readers report it.
      for (const element of arrayElements(text) ?? []) {
        const slice = text.slice(element.start, element.end);
        try {
          JSON.parse(slice);
        } catch (inner) {
          const at = element.start + slice.length - slice.trimStart().length;
          throw new StreamkitError(`invalid JSON: ${firstLine(inner)}`, { file, line: lineAt(text, at) }, "TEST_REMOTE_INPUT");
        }
      }
      throw new StreamkitError(`invalid JSON: ${firstLine(error)}`, { file, line: 1 }, "TEST_REMOTE_INPUT");
    }
  }
  const events: unknown[] = [];
  text.split("\n").forEach((raw, index) => {
    if (raw.trim() === "") return;
    try {
      events.push(JSON.parse(raw));
    } catch (error) {
      throw new StreamkitError(`invalid JSON: ${firstLine(error)}`, { file, line: index + 1 }, "TEST_REMOTE_INPUT");
    }
  });
  return JSON.stringify(events);
}

export interface TestQueryRequest {
  job: JobSpec;
  jobFile?: string;
  queryText: string;
  location: string;
  /** Sample file per input alias (JSON). */
  samples: Map<string, string>;
}

const FUNCTION_TYPES = { "javascript-udf": "Scalar", "javascript-uda": "Aggregate" } as const;

/** The TestQuery request body. */
export function testQueryBody(request: TestQueryRequest): unknown {
  const { job } = request;
  const inputs = job.inputs.map((input) => {
    const file = request.samples.get(input.alias.toLowerCase());
    if (!file) {
      throw new StreamkitError(
        `no sample events for input '${input.alias}': give --input ${input.alias}=<file.json> or set inputs[].local.path in the job`,
        { file: request.jobFile },
        "TEST_REMOTE_INPUT",
      );
    }
    if (input.serialization.type !== "json") {
      throw new StreamkitError(
        `input '${input.alias}' is ${input.serialization.type.toUpperCase()}: test-remote sends JSON samples only (Azure's Raw datasource takes a JSON payload); give a JSON sample with --input ${input.alias}=<file.json>`,
        { file: request.jobFile },
        "TEST_REMOTE_INPUT",
      );
    }
    return {
      name: input.alias,
      properties: {
        type: input.type === "reference" ? "Reference" : "Stream",
        serialization: { type: "Json", properties: { encoding: "UTF8" } },
        datasource: { type: "Raw", properties: { payload: readJsonEvents(file) } },
      },
    };
  });
  const outputs = job.outputs.map((output) => ({
    name: output.alias,
    properties: {
      serialization: { type: "Json", properties: { encoding: "UTF8", format: "LineSeparated" } },
      datasource: { type: "Raw", properties: {} },
    },
  }));
  const functions = job.functions.map((fn) => {
    if (fn.kind !== "javascript-udf" && fn.kind !== "javascript-uda") {
      throw new StreamkitError(`function '${fn.name}' is a ${fn.kind}: test-remote can send JavaScript functions only`, { file: request.jobFile }, "TEST_REMOTE_FUNCTION");
    }
    if (!fn.file) throw new StreamkitError(`function '${fn.name}' has no script file`, { file: request.jobFile, jsonPath: "functions" }, "TEST_REMOTE_FUNCTION");
    const scriptFile = resolveFrom(request.jobFile, fn.file);
    if (!existsSync(scriptFile)) throw new StreamkitError(`script of function '${fn.name}' not found: ${scriptFile}`, { file: request.jobFile }, "TEST_REMOTE_FUNCTION");
    return {
      name: fn.name,
      properties: {
        type: FUNCTION_TYPES[fn.kind],
        properties: {
          inputs: fn.inputs.map((input) => ({ dataType: input.type })),
          output: { dataType: fn.output?.type ?? "any" },
          binding: { type: "Microsoft.StreamAnalytics/JavascriptUdf", properties: { script: readFileSync(scriptFile, "utf8") } },
        },
      },
    };
  });
  const ordering = job.eventOrdering;
  return {
    streamingJob: {
      location: request.location,
      properties: {
        sku: { name: "Standard" },
        eventsOutOfOrderPolicy: ordering.policy === "drop" ? "Drop" : "Adjust",
        eventsOutOfOrderMaxDelayInSeconds: ordering.outOfOrderMaxDelaySeconds,
        eventsLateArrivalMaxDelayInSeconds: ordering.lateArrivalMaxDelaySeconds,
        outputErrorPolicy: job.outputErrorPolicy === "drop" ? "Drop" : "Stop",
        dataLocale: job.dataLocale,
        compatibilityLevel: job.compatibilityLevel,
        inputs,
        transformation: { name: "Transformation", properties: { query: request.queryText, streamingUnits: job.streamingUnits } },
        outputs,
        functions,
      },
    },
  };
}

export interface TestRemoteOptions {
  deadline: number;
  onProgress?: (progress: LroProgress) => void;
  signal?: AbortSignal;
}

export interface TestRemoteOutcome {
  result: QueryTestingResult;
  /** The outputs payload downloaded from outputUri (Success only). */
  payload?: string;
}

export async function testRemotely(
  client: ArmClient,
  target: CompileTarget,
  body: unknown,
  options: TestRemoteOptions,
): Promise<TestRemoteOutcome> {
  const what = `testing the query in ${target.location}`;
  const initial = await client.send({
    method: "POST",
    path: locationPath(target, "testQuery"),
    apiVersion: PREVIEW_API_VERSION,
    body,
    what,
    signal: options.signal,
  });
  const final = (await waitForOperation(client, initial, {
    what,
    apiVersion: PREVIEW_API_VERSION,
    deadline: options.deadline,
    onProgress: options.onProgress,
    finalStateVia: "location",
    signal: options.signal,
  })) as QueryTestingResult | undefined;
  if (!final || typeof final !== "object" || typeof final.status !== "string") {
    throw new ArmError(`Azure answered the query test with no result status`, "server");
  }
  if (final.status !== "Success") return { result: final };
  if (!final.outputUri) throw new ArmError("the query test succeeded but Azure gave no outputUri", "server");
  const uri = new URL(final.outputUri);
  if (uri.protocol !== "https:" && !isLoopbackUrl(uri)) {
    throw new ArmError(`refusing to download the test output over plain http from ${uri.host}`, "bad-request");
  }
  const download = await client.send({ method: "GET", path: final.outputUri, noAuth: true, what: "downloading the query test output", signal: options.signal });
  return { result: final, payload: download.text };
}
