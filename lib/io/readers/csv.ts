// CSV input: a header row names the fields; every field value is read as text
// (nvarchar(max)). ASA's data-type table: "CSV in: string converted to <type>" — values become
// numbers or datetimes only when the query casts them or a CREATE TABLE types the input.
// A row with the wrong number of fields or broken quoting is skipped and reported.
import { parse } from "csv-parse";
import type { Readable } from "node:stream";
import type { RecordValue } from "../../saql/values";
import type { RawEvent, Report } from "./json";

export async function* readCsvRecords(bytes: Readable, delimiter: string, report: Report): AsyncGenerator<RawEvent> {
  const parser = parse({
    delimiter,
    columns: (header: string[]) => header.map((name) => name.trim()),
    bom: true,
    info: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
  });
  parser.on("skip", (error: Error & { lines?: number }) => {
    report({ message: `malformed CSV row: ${error.message}`, line: error.lines ?? 0 });
  });
  bytes.on("error", (error) => parser.destroy(error));
  bytes.pipe(parser);
  for await (const item of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
    const record: RecordValue = {};
    for (const [name, value] of Object.entries(item.record)) record[name] = value;
    yield { record, line: item.info.lines };
  }
}
