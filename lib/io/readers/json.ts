// JSON input: a top-level array of events or line-separated events, detected from the text.
import type { Readable } from "node:stream";
import { isRecord, type RecordValue } from "../../saql/values";
import type { DeserializationError } from "../types";
import { JsonSplitter } from "./json-splitter";

export interface RawEvent {
  record: RecordValue;
  line: number;
}

export type Report = (error: Omit<DeserializationError, "location"> & { line: number }) => void;

/** Parses one event's text; undefined (after reporting) when it is not a JSON object. */
export function parseJsonEvent(text: string, line: number, report: Report): RecordValue | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    report({ message: `malformed JSON: ${(error as Error).message}`, line });
    return undefined;
  }
  if (!isRecord(value)) {
    report({ message: `an event must be a JSON object, found ${Array.isArray(value) ? "an array" : typeof value === "object" ? "null" : typeof value}`, line });
    return undefined;
  }
  return value as RecordValue;
}

export async function* readJsonRecords(text: Readable, report: Report): AsyncGenerator<RawEvent> {
  const splitter = new JsonSplitter();
  text.setEncoding("utf8");
  for await (const chunk of text) {
    for (const piece of splitter.push(chunk as string)) {
      if ("error" in piece) {
        report({ message: piece.error, line: piece.line });
        continue;
      }
      const record = parseJsonEvent(piece.text, piece.line, report);
      if (record) yield { record, line: piece.line };
    }
  }
  for (const piece of splitter.end()) {
    if ("error" in piece) report({ message: piece.error, line: piece.line });
    else {
      const record = parseJsonEvent(piece.text, piece.line, report);
      if (record) yield { record, line: piece.line };
    }
  }
}
