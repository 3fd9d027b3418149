// The job model's serialization, spelled the way azurerm's stream analytics resources want it.
import { serializationSchema, type Serialization } from "../../lib/job";

export type SerializationOptions = Partial<Omit<Serialization, "type">> & { type: Serialization["type"] };

/** Fills in the job model's defaults and validates (CSV delimiter only for CSV, …). */
export function normalizeSerialization(options: SerializationOptions | undefined, fallback: Serialization["type"]): Serialization {
  return serializationSchema.parse(options ?? { type: fallback });
}

const TYPE_NAMES: Record<Serialization["type"], string> = {
  json: "Json",
  csv: "Csv",
  avro: "Avro",
  parquet: "Parquet",
  delta: "Delta",
};

export interface AzurermSerialization {
  type: string;
  encoding?: string;
  fieldDelimiter?: string;
  format?: string;
}

/** Inputs: Json/Csv/Avro/Parquet with encoding and delimiter where the type has them. */
export function toAzurermInputSerialization(s: Serialization): AzurermSerialization {
  return {
    type: TYPE_NAMES[s.type],
    encoding: s.type === "json" || s.type === "csv" ? "UTF8" : undefined,
    fieldDelimiter: s.type === "csv" ? (s.fieldDelimiter ?? ",") : undefined,
  };
}

/** Outputs: as inputs, plus JSON's line-separated or array format. */
export function toAzurermOutputSerialization(s: Serialization): AzurermSerialization {
  return {
    ...toAzurermInputSerialization(s),
    format: s.type === "json" ? (s.format === "array" ? "Array" : "LineSeparated") : undefined,
  };
}
