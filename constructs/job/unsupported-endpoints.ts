// Endpoints Stream Analytics has but azurerm 4.55 (@cdktf/provider-azurerm 14.23.1, the last
// prebuilt binding) cannot create: Kafka inputs and outputs, and outputs to Azure Data Explorer.
// The binding has no stream_analytics_stream_input_kafka, stream_analytics_output_kafka nor any
// Data Explorer (Kusto) output resource, so `job.addInput/addOutput` with such a target stops
// here with what to do instead, rather than being mistaken for another service.
import { Construct } from "constructs";
import { TerraformDataSource, TerraformResource } from "cdktf";
import { HdinsightKafkaCluster } from "@cdktf/provider-azurerm/lib/hdinsight-kafka-cluster";
import { KustoCluster } from "@cdktf/provider-azurerm/lib/kusto-cluster";
import { KustoDatabase } from "@cdktf/provider-azurerm/lib/kusto-database";
import { DataAzurermKustoCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-kusto-cluster";
import { DataAzurermKustoDatabase } from "@cdktf/provider-azurerm/lib/data-azurerm-kusto-database";
import { StreamkitError } from "../../lib/core/errors";

export type UnsupportedEndpoint = "kafka" | "data-explorer";

type Element = TerraformResource | TerraformDataSource;

/** Provider elements a value holds: itself, its construct subtree, its public fields (two levels). */
function elementsOf(value: object): Element[] {
  const found = new Set<Element>();
  const visit = (v: unknown, depth: number) => {
    if (!v || typeof v !== "object" || depth > 2) return;
    if (v instanceof TerraformResource || v instanceof TerraformDataSource) found.add(v);
    if (v instanceof Construct) {
      for (const c of v.node.findAll()) if (c instanceof TerraformResource || c instanceof TerraformDataSource) found.add(c);
    }
    for (const field of Object.values(v)) if (field instanceof Construct) visit(field, depth + 1);
  };
  visit(value, 0);
  return [...found];
}

/** Kafka (an HDInsight Kafka cluster, or Kafka client properties) or Data Explorer; else undefined. */
export function unsupportedEndpointOf(value: object): UnsupportedEndpoint | undefined {
  // Kafka client properties (kafkaClientConfig) name their brokers; a plain object, no resource.
  if ("bootstrap.servers" in value) return "kafka";
  // DataExplorer.fromExisting's reference: plain strings read from data sources.
  if (["clusterId", "databaseId", "uri"].every((k) => k in value) && !(value instanceof Construct)) return "data-explorer";
  const elements = elementsOf(value);
  const has = (cls: abstract new (...args: never[]) => Element) => elements.some((e) => e instanceof cls);
  if (has(HdinsightKafkaCluster)) return "kafka";
  if (has(KustoCluster) || has(KustoDatabase) || has(DataAzurermKustoCluster) || has(DataAzurermKustoDatabase)) return "data-explorer";
  return undefined;
}

const PROVIDER = "azurerm 4.55 (@cdktf/provider-azurerm 14.23.1, the last prebuilt binding)";

/** Stops `addInput` / `addOutput` with a target azurerm cannot wire to a job, saying what to do instead. */
export function rejectUnsupportedEndpoint(alias: string, value: object, direction: "input" | "output"): void {
  const endpoint = unsupportedEndpointOf(value);
  if (endpoint === "kafka") {
    const resource = direction === "input" ? "stream_analytics_stream_input_kafka" : "stream_analytics_output_kafka";
    throw new StreamkitError(
      `${direction} '${alias}': Stream Analytics Kafka ${direction}s cannot be deployed: ${PROVIDER} has no ${resource} resource. ` +
        (direction === "input"
          ? "Produce to an event hub through the Event Hubs Kafka endpoint (EventHubsNamespace.kafkaClientConfig) and pass the event hub to addInput"
          : "Write to an event hub with addOutput and let Kafka clients consume it through the Event Hubs Kafka endpoint (EventHubsNamespace.kafkaClientConfig)") +
        ", or add the Kafka " + direction + " outside Terraform (ARM template, Bicep or the portal, datasource type Kafka)",
      undefined,
      direction === "input" ? "JOB_INPUT" : "JOB_OUTPUT",
    );
  }
  if (endpoint === "data-explorer") {
    throw new StreamkitError(
      direction === "input"
        ? `input '${alias}': Azure Data Explorer is not a Stream Analytics input (inputs are Event Hubs, IoT Hub, Blob/ADLS, SQL reference data and Kafka)`
        : `output '${alias}': Stream Analytics output to Azure Data Explorer cannot be deployed: ${PROVIDER} has no Data Explorer (Kusto) output resource. ` +
            "Write to an event hub with addOutput and let Data Explorer ingest it (DataExplorer eventHubConnections, managed identity), " +
            "or add the output outside Terraform (ARM template, Bicep or the portal, datasource type Microsoft.Kusto/clusters/databases)",
      undefined,
      direction === "input" ? "JOB_INPUT" : "JOB_OUTPUT",
    );
  }
}
