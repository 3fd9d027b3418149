// CSV input: a header row names the fields; every field value is read as text
// (nvarchar(max)). ASA's data-type table: "CSV in: string converted to <type>" — values become
// numbers or datetimes only when the query casts them or a CREATE TABLE types the input.
// A row with the wrong number of fields or broken quoting is skipped and reported.
import { parse } from "csv-parse";
import type { Readable } from "node:stream";
import { StreamkitError } from "../../core/errors";
import type { RecordValue } from "../../saql/values";
import type { InputEvent } from "../types";
import type { Report } from "./json";

/** csv-parse gives the line a row ends on; a row with line breaks inside quotes starts earlier. */
function startLine(record: Record<string, string>, endLine: number): number {
  let breaks = 0;
  for (const key in record) {
    const value = record[key];
    for (let i = value.indexOf("\n"); i >= 0; i = value.indexOf("\n", i + 1)) breaks++;
  }
  return endLine - breaks;
}

export async function* readCsvRecords(bytes: Readable, file: string, delimiter: string, report: Report): AsyncGenerator<InputEvent[]> {
  const parser = parse({
    delimiter,
    columns: (header: string[]) => {
      // stream-analytics-define-inputs.md: "CSV-formatted inputs require a header row to define
      // fields for the data set, and all header row fields must be unique."
      const names = header.map((name) => name.trim());
      const seen = new Map<string, string>();
      for (const name of names) {
        const twin = seen.get(name.toLowerCase());
        if (twin !== undefined) throw new StreamkitError(`the CSV header names the field '${name}' twice${twin !== name ? ` (as '${twin}'; names are case-insensitive)` : ""}`, { file, line: 1 }, "IO_FORMAT");
        seen.set(name.toLowerCase(), name);
      }
      return names;
    },
    bom: true,
    // Any line ending, even mixed in one file (csv-parse otherwise keeps the first one it sees).
    record_delimiter: ["\r\n", "\n", "\r"],
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  parser.on("skip", (error: Error & { lines?: number }) => {
    report({ message: `malformed CSV row: ${error.message}`, line: error.lines ?? 0 });
  });
  bytes.on("error", (error) => parser.destroy(error));
  bytes.pipe(parser);
  // Rows arrive in bursts: take every row the parser holds before waiting again.
  let batch: InputEvent[] = [];
  let done = false;
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  parser.on("data", (item: { record: Record<string, string>; info: { lines: number } }) => {
    batch.push({ record: item.record as RecordValue, location: { file, line: startLine(item.record, item.info.lines) } });
    if (batch.length >= 1024) parser.pause();
    wake?.();
  });
  parser.on("end", () => {
    done = true;
    wake?.();
  });
  parser.on("error", (error) => {
    failure = error;
    wake?.();
  });
  try {
    for (;;) {
      if (batch.length === 0 && !done && !failure) await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
      if (failure) throw failure;
      if (batch.length > 0) {
        const ready = batch;
        batch = [];
        parser.resume();
        yield ready;
      } else if (done) return;
    }
  } finally {
    // A reader that stops early (or fails) closes the file.
    bytes.destroy();
    parser.destroy();
  }
}
