// A Spark Structured Streaming job on a Synapse Spark pool (a Spark job definition). azurerm
// 4.55 (@cdktf/provider-azurerm 14.23.1, the last prebuilt binding) has no resource for Synapse
// Spark job definitions (no azurerm_synapse_spark_job_definition), so declaring one stops synth
// with what to do instead, as Kafka and Data Explorer endpoints of Stream Analytics do.
import { Construct } from "constructs";
import { StreamkitError } from "../../lib/core/errors";
import type { SparkJobInput, SparkJobOutput } from "../databricks/spark-streaming-job";
import type { SynapseSparkPool } from "./spark-pool";

export interface SynapseSparkJobProps {
  pool: SynapseSparkPool;
  name: string;
  /** `pipelines/<name>/main.py`, relative to `projectDir`. */
  codeFile: string;
  projectDir?: string;
  inputs: SparkJobInput[];
  outputs: SparkJobOutput[];
}

export const SYNAPSE_SPARK_JOB_UNSUPPORTED =
  "Synapse Spark job definitions cannot be deployed: azurerm 4.55 (@cdktf/provider-azurerm 14.23.1, the last prebuilt binding) has no azurerm_synapse_spark_job_definition resource. " +
  "Run the same pipeline on Databricks (SparkStreamingJob), or create the job definition outside Terraform (Synapse Studio, or the Synapse REST API's sparkJobDefinitions) on the pool SynapseSparkPool provisions";

export class SynapseSparkJob extends Construct {
  constructor(scope: Construct, id: string, props: SynapseSparkJobProps) {
    super(scope, id);
    throw new StreamkitError(`Synapse Spark job '${props.name}': ${SYNAPSE_SPARK_JOB_UNSUPPORTED}`, undefined, "NOT_SUPPORTED");
  }
}
