// `streamkit run --compare <folder>`: a run's outputs against the files a real job wrote (an
// ADLS/Blob output folder downloaded: JSON lines or array, CSV, Avro, Parquet), with the rules of
// `streamkit test` (testing/compare.ts: rows as a multiset, numbers numerically, datetimes as
// instants, field names by the compatibility level, ignored fields) and its row diffs.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { StreamkitError } from "../core/errors";
import { readExpectedRows } from "../io/expected";
import { serializationFromPath } from "../io/formats";
import type { JobSpec, Serialization } from "../job/schema";
import type { RecordValue } from "../saql/values";
import { compareRows, DEFAULT_COMPARE } from "./testing/compare";
import { formatOutput } from "./testing/text-report";
import type { CompareOptions, OutputComparison } from "./testing/types";

/** Fields the comparison leaves out unless told otherwise: a replay cannot reproduce when the real job processed an event. */
export const DEFAULT_COMPARE_IGNORE = ["EventProcessedUtcTime"];

export interface FolderComparison extends OutputComparison {
  /** The real job's files read for this output (none: the folder has nothing for it). */
  expectedFiles: string[];
  /** Rows equal on both sides. */
  matched: number;
}

export interface CompareFolderOptions {
  job?: JobSpec;
  /** Fields left out of the comparison (default DEFAULT_COMPARE_IGNORE). */
  ignoreFields?: string[];
}

const JSON_LINES: Serialization = { type: "json", encoding: "utf8", compression: "none" };

/**
 * Compares each output the run wrote (alias → file) with the real job's files for it in `folder`:
 * `<folder>/<alias>/` (every file under it, as the output's path pattern left them),
 * `<folder>/<alias>.<ext>`, or — when the run has a single output — the folder itself.
 */
export async function compareWithFolder(folder: string, written: Record<string, string>, options: CompareFolderOptions = {}): Promise<FolderComparison[]> {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new StreamkitError(`--compare: folder not found: ${folder}`, { file: folder }, "IO_FILE");
  const compare: CompareOptions = {
    ...DEFAULT_COMPARE,
    ignoreFields: options.ignoreFields ?? DEFAULT_COMPARE_IGNORE,
    caseSensitiveNames: (options.job?.compatibilityLevel ?? "1.2") !== "1.0",
  };
  const aliases = Object.keys(written);
  const results: FolderComparison[] = [];
  for (const alias of aliases) {
    const spec = options.job?.outputs.find((o) => o.alias.toLowerCase() === alias.toLowerCase());
    const serialization = spec?.serialization ?? JSON_LINES;
    const files = realFiles(folder, alias, aliases.length === 1);
    const expected: RecordValue[] = [];
    for (const file of files) expected.push(...(await readExpectedRows(file, serializationFromPath(file) ?? serialization)));
    const actual = await readExpectedRows(written[alias], serializationFromPath(written[alias]) ?? serialization);
    const where = files.length === 1 ? files[0] : join(folder, files.length && aliases.length > 1 ? alias : "");
    const c = compareRows(alias, where, expected, actual, compare);
    results.push({ ...c, pass: c.pass && files.length > 0, expectedFiles: files, matched: c.expectedCount - c.missing.length - c.changed.length });
  }
  return results;
}

/** The real job's files for an output, in name order. */
function realFiles(folder: string, alias: string, only: boolean): string[] {
  const lower = alias.toLowerCase();
  const entries = readdirSync(folder).filter((n) => !n.startsWith("."));
  const dir = entries.find((n) => n.toLowerCase() === lower && statSync(join(folder, n)).isDirectory());
  if (dir) return walk(join(folder, dir));
  const named = entries.filter((n) => n.split(".")[0].toLowerCase() === lower && statSync(join(folder, n)).isFile());
  if (named.length) return named.sort().map((n) => join(folder, n));
  return only ? walk(folder) : [];
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(".")) continue;
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else out.push(full);
  }
  return out;
}

/** The summary `run --compare` prints: per output, rows matched, missing, extra, changed, then the first differences. */
export function formatComparison(results: FolderComparison[], options: { color: boolean; cwd: string }): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.expectedFiles.length === 0) {
      lines.push(`compare ${r.alias}: the real job's folder has no ${r.alias}/ or ${r.alias}.<ext> (${r.actualCount} row(s) written by this run)`);
      continue;
    }
    const source = r.expectedFiles.length === 1 ? r.expectedFiles[0] : `${r.expectedFiles.length} files under ${r.expectedFile}`;
    lines.push(
      `compare ${r.alias}: ${r.matched} row(s) matched, ${r.missing.length} missing, ${r.extra.length} extra, ${r.changed.length} changed (real job: ${r.expectedCount} row(s) in ${source}; this run: ${r.actualCount})`,
    );
    if (!r.pass) lines.push(...formatOutput(r, options));
  }
  const differing = results.filter((r) => !r.pass).length;
  lines.push(differing ? `${differing} of ${results.length} output(s) differ from the real job's` : `all ${results.length} output(s) match the real job's`);
  return lines.join("\n") + "\n";
}

