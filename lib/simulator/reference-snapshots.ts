// Reference data refreshed by path pattern, read from a local folder. ASA models blob reference
// data "as a sequence of blobs in ascending order of the date/time specified in the blob name"
// (stream-analytics-use-reference-data.md): `products/{date}/{time}/list.csv` with date format
// yyyy-MM-dd and time format HH-mm names the snapshot valid from 2015-04-16 17:30 UTC as
// `products/2015-04-16/17-30/list.csv`. Locally the folder stands for the container: every file
// whose path matches the pattern is one snapshot.
import { readdirSync, statSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { StreamkitError } from "../core/errors";

export interface SnapshotFile {
  /** When the snapshot becomes valid, in ms since the epoch (UTC). */
  validFrom: number;
  path: string;
}

/** Whether a path pattern refreshes reference data (it names {date} or {time}). */
export function isRefreshPattern(pattern: string | undefined): pattern is string {
  return pattern !== undefined && /\{(date|time)\}/i.test(pattern);
}

const DEFAULT_DATE_FORMAT = "yyyy/MM/dd";
const DEFAULT_TIME_FORMAT = "HH";

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A date or time format (yyyy, MM, dd / HH, mm and separators) as a regular expression with named groups. */
function formatRegex(format: string, kind: "date" | "time", where: string): string {
  const tokens = kind === "date" ? [["yyyy", "year", 4], ["mm", "month", 2], ["dd", "day", 2]] : [["hh", "hour", 2], ["mm", "minute", 2]];
  let out = "";
  let rest = format;
  const seen = new Set<string>();
  while (rest.length) {
    const token = tokens.find(([t]) => rest.toLowerCase().startsWith(t as string));
    if (token) {
      const [text, group, digits] = token as [string, string, number];
      if (seen.has(group)) throw new StreamkitError(`the ${kind} format '${format}' names ${group} twice`, { jsonPath: where }, "JOB_INPUT");
      seen.add(group);
      out += `(?<${group}>\\d{${digits}})`;
      rest = rest.slice(text.length);
    } else if (/^[A-Za-z]/.test(rest)) {
      throw new StreamkitError(`the ${kind} format '${format}' is not one ASA supports (e.g. ${kind === "date" ? "yyyy/MM/dd, yyyy-MM-dd" : "HH, HH-mm, HH/mm"})`, { jsonPath: where }, "JOB_INPUT");
    } else {
      out += escape(rest[0]);
      rest = rest.slice(1);
    }
  }
  return out;
}

/** The pattern as a regular expression over paths relative to the folder, `/`-separated. */
function patternRegex(pattern: string, dateFormat: string, timeFormat: string): RegExp {
  const parts = pattern.replace(/\\/g, "/").replace(/^\/+/, "").split(/(\{date\}|\{time\})/i);
  const source = parts
    .map((part) => {
      const lower = part.toLowerCase();
      if (lower === "{date}") return formatRegex(dateFormat, "date", "dateFormat");
      if (lower === "{time}") return formatRegex(timeFormat, "time", "timeFormat");
      return escape(part);
    })
    .join("");
  return new RegExp(`^${source}$`);
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/**
 * The snapshots under `folder` that match the input's path pattern, in time order. A folder with
 * none is an error: ASA fails a job that finds no reference blob to start with.
 */
export function findSnapshots(folder: string, pattern: string, dateFormat = DEFAULT_DATE_FORMAT, timeFormat = DEFAULT_TIME_FORMAT): SnapshotFile[] {
  if (!statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new StreamkitError(`reference data with the path pattern '${pattern}' is read from a folder, but '${folder}' is not one`, { file: folder }, "JOB_INPUT");
  }
  const regex = patternRegex(pattern, dateFormat, timeFormat);
  const found: SnapshotFile[] = [];
  for (const path of walk(folder)) {
    const rel = relative(folder, path).split(sep).join("/");
    const m = regex.exec(rel);
    if (!m?.groups) continue;
    const g = m.groups;
    const num = (name: string) => (g[name] === undefined ? 0 : Number(g[name]));
    const validFrom = Date.UTC(num("year"), (g.month ? num("month") : 1) - 1, g.day ? num("day") : 1, num("hour"), num("minute"));
    const check = new Date(validFrom);
    if (Number.isNaN(validFrom) || check.getUTCDate() !== (g.day ? num("day") : 1) || num("hour") > 23 || num("minute") > 59) {
      throw new StreamkitError(`'${rel}' matches the path pattern '${pattern}' but names no valid date and time`, { file: path }, "JOB_INPUT");
    }
    found.push({ validFrom, path });
  }
  if (!found.length) {
    throw new StreamkitError(`no reference data file under '${folder}' matches the path pattern '${pattern}' (date format ${dateFormat}, time format ${timeFormat})`, { file: folder }, "JOB_INPUT");
  }
  return found.sort((a, b) => a.validFrom - b.validFrom);
}
