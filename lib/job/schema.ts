// The job model: one description of a Stream Analytics job, shared by the constructs
// (which deploy it), the simulator (which runs it) and the ASA project reader (which
// builds it from asaproj.json / JobConfig.json). Field names follow ASA's own job
// settings where ASA has a name for them.
import { z } from "zod";

/** SAQL's data types, as `CREATE TABLE` and the docs name them. */
export const SAQL_TYPES = ["bigint", "float", "nvarchar(max)", "datetime", "bit", "record", "array"] as const;
export type SaqlType = (typeof SAQL_TYPES)[number];

const aliasName = z
  .string()
  .min(1, "an alias cannot be empty")
  .max(63, "an alias has at most 63 characters")
  .regex(/^[A-Za-z0-9_-]+$/, "an alias has letters, digits, '-' and '_' only");

export const saqlTypeSchema = z.preprocess(
  (v) => (typeof v === "string" ? v.toLowerCase().replace(/\s+/g, "") : v),
  z.enum(SAQL_TYPES),
);

/** A field of an input's declared schema (SAQL types). */
export const inputColumnSchema = z.strictObject({
  name: z.string().min(1),
  type: saqlTypeSchema,
});
export type InputColumn = z.infer<typeof inputColumnSchema>;

/** A column of a SQL-shaped sink (Azure SQL, Synapse): SQL Server types, e.g. `nvarchar(50)`. */
export const tableColumnSchema = z.strictObject({
  name: z.string().min(1),
  sqlType: z.string().min(1),
  nullable: z.boolean().default(true),
});
export type TableColumn = z.infer<typeof tableColumnSchema>;

export const tableSchema = z.strictObject({
  name: z.string().min(1),
  columns: z.array(tableColumnSchema).min(1, "a table has at least one column"),
});
export type TableSpec = z.infer<typeof tableSchema>;

export const SERIALIZATION_TYPES = ["json", "csv", "avro", "parquet", "delta"] as const;
export type SerializationType = (typeof SERIALIZATION_TYPES)[number];

export const serializationSchema = z
  .strictObject({
    type: z.enum(SERIALIZATION_TYPES),
    encoding: z.literal("utf8").default("utf8"),
    /** CSV only. ASA accepts comma, semicolon, space, tab and vertical bar. */
    fieldDelimiter: z.enum([",", ";", " ", "\t", "|"]).optional(),
    /** JSON outputs: one object per line, or one array. */
    format: z.enum(["lineSeparated", "array"]).optional(),
    compression: z.enum(["none", "gzip", "deflate"]).default("none"),
  })
  .superRefine((s, ctx) => {
    if (s.fieldDelimiter !== undefined && s.type !== "csv") {
      ctx.addIssue({ code: "custom", path: ["fieldDelimiter"], message: "fieldDelimiter applies to CSV only" });
    }
    if (s.format !== undefined && s.type !== "json") {
      ctx.addIssue({ code: "custom", path: ["format"], message: "format applies to JSON only" });
    }
  });
export type Serialization = z.infer<typeof serializationSchema>;

/**
 * Where the simulator reads an input's events from, and how it knows when each arrived. `kind`:
 * "file" (default), a file of events in the input's serialization; "capture", the Avro files
 * Event Hubs Capture wrote (a folder or a glob), each message body in the input's serialization,
 * replayed per partition with its real enqueued (arrival) times (lib/io/capture.ts).
 */
export const localInputSchema = z
  .strictObject({
    path: z.string().min(1),
    kind: z.enum(["file", "capture"]).optional(),
    /** Capture only: the file name format Capture was given (default `{Namespace}/{EventHub}/{PartitionId}/{Year}/{Month}/{Day}/{Hour}/{Minute}/{Second}`). */
    capturePathFormat: z.string().min(1).optional(),
    /** Field holding the arrival time (e.g. EventEnqueuedUtcTime); absent: arrival follows file order. */
    arrivalTimeField: z.string().min(1).optional(),
  })
  .superRefine((local, ctx) => {
    if (local.capturePathFormat !== undefined && local.kind !== "capture") {
      ctx.addIssue({ code: "custom", path: ["capturePathFormat"], message: "capturePathFormat applies to kind 'capture' only" });
    }
  });
export type LocalInput = z.infer<typeof localInputSchema>;

/** `edgehub`: the Edge Hub of a job on IoT Edge (the project files' DataSourceType "GatewayMessageBus"). */
export const STREAM_INPUT_KINDS = ["eventhub", "iothub", "blob", "adls", "kafka", "edgehub"] as const;
export const REFERENCE_INPUT_KINDS = ["blob", "adls", "sql"] as const;
export const INPUT_KINDS = ["eventhub", "iothub", "blob", "adls", "kafka", "sql", "edgehub"] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export const inputSchema = z
  .strictObject({
    alias: aliasName,
    type: z.enum(["stream", "reference"]).default("stream"),
    kind: z.enum(INPUT_KINDS),
    serialization: serializationSchema.default({ type: "json", encoding: "utf8", compression: "none" }),
    schema: z.array(inputColumnSchema).optional(),
    partitionKey: z.string().min(1).optional(),
    /** Event Hubs / IoT Hub / Kafka: how many partitions the source has (`streamkit explain` reasons with it). */
    partitionCount: z.number().int().min(1).optional(),
    consumerGroup: z.string().min(1).optional(),
    /** Blob/ADLS: e.g. `telemetry/{date}/{time}`; reference data refreshes by it. */
    pathPattern: z.string().min(1).optional(),
    dateFormat: z.string().min(1).optional(),
    timeFormat: z.string().min(1).optional(),
    local: localInputSchema.optional(),
  })
  .superRefine((input, ctx) => {
    if (input.local?.kind === "capture" && (input.type !== "stream" || (input.kind !== "eventhub" && input.kind !== "iothub"))) {
      ctx.addIssue({ code: "custom", path: ["local", "kind"], message: "Event Hubs Capture files replay an Event Hub or IoT Hub stream input" });
    }
    const allowed: readonly string[] = input.type === "stream" ? STREAM_INPUT_KINDS : REFERENCE_INPUT_KINDS;
    if (!allowed.includes(input.kind)) {
      ctx.addIssue({
        code: "custom",
        path: ["kind"],
        message: `a ${input.type} input cannot be of kind '${input.kind}' (allowed: ${allowed.join(", ")})`,
      });
    }
  });
export type InputSpec = z.infer<typeof inputSchema>;

export const OUTPUT_KINDS = [
  "eventhub",
  "blob",
  "adls",
  "sql",
  "synapse",
  "powerbi",
  "cosmosdb",
  "servicebus-queue",
  "servicebus-topic",
  "table",
  "function",
  "kafka",
  "adx",
  "edgehub",
] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];
/** Sinks whose rows must fit a declared table. */
export const TABLE_OUTPUT_KINDS: readonly OutputKind[] = ["sql", "synapse"];

export const outputSchema = z
  .strictObject({
    alias: aliasName,
    kind: z.enum(OUTPUT_KINDS),
    serialization: serializationSchema.optional(),
    table: tableSchema.optional(),
    /** Event Hubs / Cosmos DB: the column whose value picks the partition. */
    partitionKey: z.string().min(1).optional(),
    /** Event Hubs: how many partitions the hub has. */
    partitionCount: z.number().int().min(1).optional(),
    /**
     * SQL / Synapse: write in parallel, one writer per query partition ("Inherit partitioning"; off by
     * default in ASA, stream-analytics-parallelization.md "Achieving higher throughputs at scale").
     */
    parallelWrite: z.boolean().optional(),
    /** Where the simulator writes this output's rows (default: <out>/<alias>.json). */
    local: z.strictObject({ path: z.string().min(1) }).optional(),
  })
  .superRefine((output, ctx) => {
    if (output.table !== undefined && !TABLE_OUTPUT_KINDS.includes(output.kind) && output.kind !== "powerbi") {
      ctx.addIssue({ code: "custom", path: ["table"], message: `a '${output.kind}' output has no table` });
    }
    if (output.parallelWrite !== undefined && !TABLE_OUTPUT_KINDS.includes(output.kind)) {
      ctx.addIssue({ code: "custom", path: ["parallelWrite"], message: "parallelWrite applies to SQL and Synapse outputs only" });
    }
    if (output.partitionKey !== undefined && output.kind !== "eventhub" && output.kind !== "cosmosdb") {
      ctx.addIssue({ code: "custom", path: ["partitionKey"], message: "partitionKey applies to Event Hubs and Cosmos DB outputs only" });
    }
  });
export type OutputSpec = z.infer<typeof outputSchema>;

export const functionSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "a function name is an identifier"),
  kind: z.enum(["javascript-udf", "javascript-uda", "csharp-udf", "csharp-uda", "azureml"]),
  /** The script, relative to the job file (JavaScript functions). */
  file: z.string().min(1).optional(),
  inputs: z.array(z.strictObject({ type: z.string().min(1) })).default([]),
  output: z.strictObject({ type: z.string().min(1) }).optional(),
});
export type FunctionSpec = z.infer<typeof functionSchema>;

export const eventOrderingSchema = z.strictObject({
  /** ASA default 5 s; -1 means "wait indefinitely" in ASA, modelled here as a large bound. */
  lateArrivalMaxDelaySeconds: z.number().int().min(-1).max(1814399).default(5),
  /** ASA default 0 s: a reorder buffer of this width. */
  outOfOrderMaxDelaySeconds: z.number().int().min(0).max(599).default(0),
  /** What happens to events outside either tolerance. */
  policy: z.enum(["adjust", "drop"]).default("adjust"),
});
export type EventOrdering = z.infer<typeof eventOrderingSchema>;

export const COMPATIBILITY_LEVELS = ["1.0", "1.1", "1.2"] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];

export const jobSpecSchema = z
  .strictObject({
    name: z
      .string()
      .min(3, "a job name has 3 to 63 characters")
      .max(63, "a job name has 3 to 63 characters")
      .regex(/^[A-Za-z0-9_-]+$/, "a job name has letters, digits, '-' and '_' only"),
    query: z
      .strictObject({ text: z.string().optional(), file: z.string().min(1).optional() })
      .refine((q) => q.text !== undefined || q.file !== undefined, "a query has a text or a file"),
    compatibilityLevel: z.enum(COMPATIBILITY_LEVELS).default("1.2"),
    eventOrdering: eventOrderingSchema.default({ lateArrivalMaxDelaySeconds: 5, outOfOrderMaxDelaySeconds: 0, policy: "adjust" }),
    outputErrorPolicy: z.enum(["stop", "drop"]).default("stop"),
    dataLocale: z.string().min(2).default("en-US"),
    streamingUnits: z.number().positive().default(1),
    inputs: z.array(inputSchema).default([]),
    outputs: z.array(outputSchema).default([]),
    functions: z.array(functionSchema).default([]),
  })
  .superRefine((job, ctx) => {
    const names = new Map<string, number>();
    const check = (list: { alias?: string; name?: string }[], key: "inputs" | "outputs" | "functions") =>
      list.forEach((item, i) => {
        const name = (item.alias ?? item.name ?? "").toLowerCase();
        const scope = key === "functions" ? `f:${name}` : `io:${name}`;
        if (names.has(scope)) {
          ctx.addIssue({ code: "custom", path: [key, i, key === "functions" ? "name" : "alias"], message: `duplicate name '${name}' (names are case-insensitive)` });
        }
        names.set(scope, i);
      });
    check(job.inputs, "inputs");
    check(job.outputs, "outputs");
    check(job.functions, "functions");
  });

/** A validated job, with every default filled in. */
export type JobSpec = z.infer<typeof jobSpecSchema>;
/** What a person writes: defaults may be left out. */
export type JobSpecInput = z.input<typeof jobSpecSchema>;
