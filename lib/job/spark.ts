// The job model of a Spark Structured Streaming job (Databricks, Synapse Spark): the same
// inputs and outputs as a Stream Analytics job (`InputSpec` / `OutputSpec`: an event hub, a
// Delta table on ADLS Gen2), the code file that processes them, and the parameters the job
// hands that code. Built by the Spark job constructs, read by their synth-time checks.
import { z } from "zod";
import { StreamkitError, StreamkitErrors } from "../core/errors";
import { inputSchema, outputSchema } from "./schema";
import { formatJsonPath } from "./load";

export const SPARK_ENGINES = ["databricks", "synapse"] as const;
export type SparkEngine = (typeof SPARK_ENGINES)[number];

/**
 * `continuous`: the job runs all the time (micro-batches as data arrives);
 * `availableNow`: each scheduled run processes what arrived since the last one, then stops.
 */
export const SPARK_TRIGGERS = ["continuous", "availableNow"] as const;
export type SparkTrigger = (typeof SPARK_TRIGGERS)[number];

/** A Spark job reads an event hub (through its Kafka endpoint) or a Delta table, and writes Delta tables. */
export const SPARK_INPUT_KINDS = ["eventhub", "adls"] as const;

/** A parameter name the code reads: a Python identifier (argparse `--name`, `dbutils.widgets.get("name")`). */
const PARAMETER_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const isDelta = (spec: { serialization?: { type: string } }) => spec.serialization?.type === "delta";

export const sparkJobSpecSchema = z
  .strictObject({
    name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/, "a Spark job name has 1-100 letters, digits, '-' and '_', starting with a letter or digit"),
    engine: z.enum(SPARK_ENGINES),
    /** The code, relative to the project: `pipelines/<name>/main.py`, or a notebook (`.ipynb`, or a `.py` in Databricks' source format). */
    code: z.strictObject({ file: z.string().min(1), kind: z.enum(["python", "notebook"]) }),
    inputs: z.array(inputSchema).min(1, "a Spark job reads at least one input"),
    outputs: z.array(outputSchema).min(1, "a Spark job writes at least one output"),
    trigger: z.enum(SPARK_TRIGGERS),
    /** `abfss://<container>@<account>.dfs.core.windows.net/<job>/`: one per job. */
    checkpointLocation: z.string().regex(/^abfss:\/\/[^@/]+@[^/]+\.dfs\.core\.windows\.net\/.+\/$/, "a checkpoint location is an abfss:// folder of an ADLS Gen2 account, ending in '/'"),
    /** What the code is given, by name: never a secret (Entra ID and Unity Catalog grant the access). */
    parameters: z.record(z.string(), z.string()),
  })
  .superRefine((job, ctx) => {
    job.inputs.forEach((input, i) => {
      if (!(SPARK_INPUT_KINDS as readonly string[]).includes(input.kind)) {
        ctx.addIssue({ code: "custom", path: ["inputs", i, "kind"], message: `a Spark job input is an event hub or a Delta table on ADLS Gen2, not '${input.kind}'` });
      } else if (input.kind === "adls" && !isDelta(input)) {
        ctx.addIssue({ code: "custom", path: ["inputs", i, "serialization"], message: "an ADLS input of a Spark job is a Delta table (serialization delta)" });
      }
    });
    job.outputs.forEach((output, i) => {
      if (output.kind !== "adls" || !isDelta(output)) {
        ctx.addIssue({ code: "custom", path: ["outputs", i, "kind"], message: `a Spark job output is a Delta table on ADLS Gen2 (kind adls, serialization delta), not '${output.kind}'` });
      }
    });
    const aliases = new Set<string>();
    for (const [list, key] of [[job.inputs, "inputs"], [job.outputs, "outputs"]] as const) {
      list.forEach((spec, i) => {
        if (!PARAMETER_NAME.test(spec.alias)) ctx.addIssue({ code: "custom", path: [key, i, "alias"], message: `alias '${spec.alias}' names the code's parameters: a parameter name is a Python identifier (letters, digits, '_')` });
      });
    }
    for (const name of Object.keys(job.parameters)) {
      if (!PARAMETER_NAME.test(name)) ctx.addIssue({ code: "custom", path: ["parameters", name], message: "a parameter name is a Python identifier (letters, digits, '_')" });
    }
    [...job.inputs, ...job.outputs].forEach((spec) => {
      const key = spec.alias.toLowerCase();
      if (aliases.has(key)) ctx.addIssue({ code: "custom", path: ["inputs"], message: `duplicate alias '${spec.alias}' (aliases are case-insensitive)` });
      aliases.add(key);
    });
  });

export type SparkJobSpec = z.infer<typeof sparkJobSpecSchema>;
export type SparkJobSpecInput = z.input<typeof sparkJobSpecSchema>;

/** Validates a Spark job; throws every mistake at once, each with its JSON path. */
export function parseSparkJobSpec(value: unknown, file?: string): SparkJobSpec {
  const result = sparkJobSpecSchema.safeParse(value);
  if (!result.success) {
    throw new StreamkitErrors(result.error.issues.map((issue) => new StreamkitError(issue.message, { file, jsonPath: formatJsonPath(issue.path) }, "JOB_SCHEMA")));
  }
  return result.data;
}

/** The parameters an event hub input hands the code, by what each holds. */
export const eventHubParameters = (alias: string) => ({
  bootstrapServers: `${alias}_bootstrap_servers`,
  topic: `${alias}_topic`,
  consumerGroup: `${alias}_consumer_group`,
  serviceCredential: `${alias}_service_credential`,
});

/** The parameter a Delta input or output hands the code: its folder. */
export const deltaPathParameter = (alias: string) => `${alias}_path`;
