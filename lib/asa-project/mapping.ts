// Translates the names ASA project files use (DataSourceType "Event Hub", Serialization
// "Json", Type "Reference data", …) into the job model's names.
import { StreamkitError } from "../core/errors";
import type { InputKind, OutputKind, Serialization } from "../job/schema";
import { serializationTypeFromName } from "../io/formats";

const key = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

const INPUT_KINDS: Record<string, InputKind> = {
  eventhub: "eventhub",
  iothub: "iothub",
  blobstorage: "blob",
  azureblobstorage: "blob",
  blob: "blob",
  datalakestoragegen2: "adls",
  azuredatalakestoragegen2: "adls",
  datalakestoragegen2blobstorage: "blob",
  adls: "adls",
  kafka: "kafka",
  sqldatabase: "sql",
  azuresqldatabase: "sql",
  sql: "sql",
  // A job on IoT Edge reads the Edge Hub (stream-analytics-edge.md); VS Code writes "GatewayMessageBus".
  gatewaymessagebus: "edgehub",
  edgehub: "edgehub",
  // The ARM type names, as exported job definitions write them.
  microsoftservicebuseventhub: "eventhub",
  microsofteventhubeventhub: "eventhub",
  microsoftdevicesiothubs: "iothub",
  microsoftstorageblob: "blob",
  microsoftsqlserverdatabase: "sql",
};

const OUTPUT_KINDS: Record<string, OutputKind> = {
  eventhub: "eventhub",
  blobstorage: "blob",
  azureblobstorage: "blob",
  datalakestoragegen2blobstorage: "blob",
  datalakestoragegen2: "adls",
  datalakestoragegen1: "adls",
  sqldatabase: "sql",
  azuresqldatabase: "sql",
  azuresynapseanalytics: "synapse",
  synapse: "synapse",
  powerbi: "powerbi",
  cosmosdb: "cosmosdb",
  azurecosmosdb: "cosmosdb",
  documentdb: "cosmosdb",
  servicebusqueue: "servicebus-queue",
  servicebusqueues: "servicebus-queue",
  servicebustopic: "servicebus-topic",
  servicebustopics: "servicebus-topic",
  tablestorage: "table",
  azuretablestorage: "table",
  azurefunction: "function",
  azurefunctions: "function",
  function: "function",
  kafka: "kafka",
  azuredataexplorer: "adx",
  gatewaymessagebus: "edgehub",
  edgehub: "edgehub",
  // The ARM type names, as exported job definitions write them.
  microsoftservicebuseventhub: "eventhub",
  microsoftstorageblob: "blob",
  microsoftsqlserverdatabase: "sql",
  microsoftsqlserverdatawarehouse: "synapse",
  microsoftstoragedocumentdb: "cosmosdb",
  microsoftstoragetable: "table",
  microsoftservicebusqueue: "servicebus-queue",
  microsoftservicebustopic: "servicebus-topic",
  microsoftazurefunction: "function",
  microsoftkustoclustersdatabases: "adx",
  microsoftdatalakeaccounts: "adls",
};

export function inputTypeOf(type: string | null | undefined): "stream" | "reference" {
  return type && key(type).startsWith("reference") ? "reference" : "stream";
}

export function inputKindOf(dataSourceType: string | null | undefined, type: "stream" | "reference", file: string): InputKind {
  // A project input without a live source (local files only) is modelled as a blob input
  // for reference data and an Event Hub for streams; only arrival-time defaults depend on it.
  if (!dataSourceType) return type === "reference" ? "blob" : "eventhub";
  const kind = INPUT_KINDS[key(dataSourceType)];
  if (!kind) throw new StreamkitError(`unknown input DataSourceType '${dataSourceType}'`, { file, jsonPath: "DataSourceType" }, "ASA_PROJECT");
  return kind;
}

export function outputKindOf(dataSourceType: string | null | undefined, file: string): OutputKind {
  if (!dataSourceType) return "blob";
  const kind = OUTPUT_KINDS[key(dataSourceType)];
  if (!kind) throw new StreamkitError(`unknown output DataSourceType '${dataSourceType}'`, { file, jsonPath: "DataSourceType" }, "ASA_PROJECT");
  return kind;
}

const DELIMITERS: Record<string, NonNullable<Serialization["fieldDelimiter"]>> = {
  ",": ",",
  comma: ",",
  ";": ";",
  semicolon: ";",
  " ": " ",
  space: " ",
  "\t": "\t",
  "\\t": "\t",
  tab: "\t",
  "|": "|",
  pipe: "|",
  verticalbar: "|",
};

export function delimiterOf(value: string, file: string, jsonPath: string): NonNullable<Serialization["fieldDelimiter"]> {
  const found = DELIMITERS[value] ?? DELIMITERS[key(value)];
  if (!found) {
    throw new StreamkitError(`unsupported CSV delimiter '${value}' (ASA accepts comma, semicolon, space, tab and vertical bar)`, { file, jsonPath }, "ASA_PROJECT");
  }
  return found;
}

export function compressionOf(value: string | null | undefined, file: string, jsonPath: string): Serialization["compression"] {
  if (!value || key(value) === "none") return "none";
  if (key(value) === "gzip") return "gzip";
  if (key(value) === "deflate") return "deflate";
  throw new StreamkitError(`unsupported compression '${value}' (None, GZip or Deflate)`, { file, jsonPath }, "ASA_PROJECT");
}

/** A serialization from a format name, an optional CSV delimiter and JSON layout. */
export function serializationOf(
  format: string,
  options: { delimiter?: string | null; jsonFormat?: string | null; compression?: Serialization["compression"] },
  file: string,
  jsonPath: string,
): Serialization {
  const type = serializationTypeFromName(format);
  if (!type) throw new StreamkitError(`unknown serialization format '${format}' (Json, Csv, Avro or Parquet)`, { file, jsonPath }, "ASA_PROJECT");
  const serialization: Serialization = { type, encoding: "utf8", compression: options.compression ?? "none" };
  if (type === "csv") serialization.fieldDelimiter = options.delimiter ? delimiterOf(options.delimiter, file, jsonPath) : ",";
  if (type === "json" && options.jsonFormat) serialization.format = key(options.jsonFormat) === "array" ? "array" : "lineSeparated";
  return serialization;
}
