// Which serialization a local file has, from its name: `.json`, `.jsonl`, `.csv`, `.avro`,
// `.parquet`, each optionally followed by `.gz` (gzip) or `.deflate`.
import { basename } from "node:path";
import { StreamkitError } from "../core/errors";
import type { Serialization, SerializationType } from "../job/schema";

const EXTENSIONS: Record<string, SerializationType> = {
  json: "json",
  jsonl: "json",
  ndjson: "json",
  csv: "csv",
  tsv: "csv",
  avro: "avro",
  parquet: "parquet",
};

/** The serialization a file name implies, or undefined when its extension is unknown. */
export function serializationFromPath(path: string): Serialization | undefined {
  const parts = basename(path).toLowerCase().split(".");
  let compression: Serialization["compression"] = "none";
  let ext = parts.length > 1 ? parts[parts.length - 1] : "";
  if ((ext === "gz" || ext === "gzip" || ext === "deflate") && parts.length > 2) {
    compression = ext === "deflate" ? "deflate" : "gzip";
    ext = parts[parts.length - 2];
  }
  const type = EXTENSIONS[ext];
  if (!type) return undefined;
  const serialization: Serialization = { type, encoding: "utf8", compression };
  if (ext === "tsv") serialization.fieldDelimiter = "\t";
  return serialization;
}

/** Like serializationFromPath, but a clear error when the extension says nothing. */
export function requireSerializationFromPath(path: string): Serialization {
  const found = serializationFromPath(path);
  if (!found) {
    throw new StreamkitError(
      `cannot tell the format of '${path}' from its extension (use .json, .jsonl, .csv, .avro or .parquet, optionally with .gz, or name the format)`,
      { file: path },
      "IO_FORMAT",
    );
  }
  return found;
}

/** `json` | `csv` | `avro` | `parquet` as written by people and ASA project files (any case). */
export function serializationTypeFromName(name: string): SerializationType | undefined {
  const lower = name.trim().toLowerCase();
  if (lower === "json" || lower === "jsonl") return "json";
  if (lower === "csv") return "csv";
  if (lower === "avro") return "avro";
  if (lower === "parquet") return "parquet";
  if (lower === "delta") return "delta";
  return undefined;
}
