// Synth-time checks of Data Explorer (Kusto) management scripts: the `.kql` files a database is
// set up with (tables, ingestion mappings, functions, update policies, materialized views,
// retention/caching policies), in the order they are applied. Every table, mapping and function
// a script names must exist in the declared schema or an earlier script, and a mapping's columns
// must be its table's; each problem is located `file:line`. Plain text in, no cdktf, no Azure.
//
// The commands follow the Kusto management reference (learn.microsoft.com/kusto/management):
// a script holds commands, each starting with '.' on its own line; blank lines and `//` comments
// may sit between them (`.execute database script`).

export interface KqlColumn {
  name: string;
  type: string;
}

export interface KqlTable {
  name: string;
  columns: KqlColumn[];
}

/** What exists before the scripts run: declared tables and the mappings made for them. */
export interface KqlSchema {
  tables: KqlTable[];
  /** `table` → mapping names. */
  mappings?: Record<string, string[]>;
  functions?: string[];
}

export interface KqlScript {
  /** The path to print (relative to the project). */
  file: string;
  text: string;
}

/** A command of a script, with the line it starts on. */
export interface KqlCommand {
  text: string;
  line: number;
}

/** The state the scripts build, readable after a check (e.g. for data connections' mappings). */
export interface KqlState {
  tables: Map<string, KqlColumn[]>;
  mappings: Map<string, Set<string>>;
  functions: Set<string>;
  /** A function's output columns, when its query ends in `| project …`. */
  functionColumns: Map<string, string[]>;
  views: Map<string, string>;
}

export const KQL_SCALAR_TYPES = ["bool", "boolean", "datetime", "date", "dynamic", "guid", "uuid", "uniqueid", "int", "int32", "long", "int64", "real", "double", "string", "timespan", "time", "decimal"] as const;
/** Synonyms Kusto accepts, by their canonical name. */
const CANONICAL: Record<string, string> = { boolean: "bool", date: "datetime", uuid: "guid", uniqueid: "guid", int32: "int", int64: "long", double: "real", time: "timespan" };
const canonical = (type: string) => CANONICAL[type.toLowerCase()] ?? type.toLowerCase();

/** Splits a script into commands: a '.' that starts a line outside any brace, string or comment starts one. */
export function splitCommands(text: string): KqlCommand[] {
  const commands: KqlCommand[] = [];
  let depth = 0;
  let current: { start: number; line: number } | undefined;
  let line = 1;
  let atLineStart = true;
  const close = (end: number) => {
    if (current) commands.push({ text: text.slice(current.start, end).trim(), line: current.line });
    current = undefined;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") {
      line++;
      atLineStart = true;
      continue;
    }
    if (atLineStart && (c === " " || c === "\t" || c === "\r")) continue;
    const startsLine = atLineStart;
    atLineStart = false;
    if (c === "/" && text[i + 1] === "/") {
      // A comment between commands is not part of either.
      const end = text.indexOf("\n", i);
      if (startsLine && depth === 0 && current && /\n\s*$/.test(text.slice(current.start, i))) close(i);
      i = (end === -1 ? text.length : end) - 1;
      continue;
    }
    if (startsLine && depth === 0 && c === ".") {
      close(i);
      current = { start: i, line };
    }
    if (c === "{" || c === "(") depth++;
    else if (c === "}" || c === ")") depth = Math.max(0, depth - 1);
    else if (c === "`" && text.startsWith("```", i)) {
      const end = text.indexOf("```", i + 3);
      const stop = end === -1 ? text.length : end + 3;
      line += text.slice(i, stop).split("\n").length - 1;
      i = stop - 1;
    } else if (c === "'" || c === '"') {
      const verbatim = text[i - 1] === "@";
      let j = i + 1;
      while (j < text.length && text[j] !== c && (verbatim || text[j] !== "\n")) j += !verbatim && text[j] === "\\" ? 2 : 1;
      line += text.slice(i, j).split("\n").length - 1;
      i = j;
    } else if (!current && c !== "\r") {
      // Text outside a command (not a comment): keep it as a command so it is reported.
      current = { start: i, line };
    }
  }
  close(text.length);
  return commands.filter((c) => c.text.length > 0);
}

const NAME = String.raw`(?:\[\s*'[^']+'\s*\]|\[\s*"[^"]+"\s*\]|[A-Za-z_][\w]*)`;
const unquote = (name: string) => name.replace(/^\[\s*['"]|['"]\s*\]$/g, "");
const WITH = String.raw`(?:with\s*\([^)]*\)\s*)?`;

/** The string literal at the start of `text`: '…', "…", @'…', @"…", ```…```. */
function stringLiteral(text: string): string | undefined {
  const m = /^\s*(?:@'([^']*)'|@"([^"]*)"|'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|```([\s\S]*?)```)/.exec(text);
  if (!m) return undefined;
  if (m[1] !== undefined || m[2] !== undefined || m[5] !== undefined) return m[1] ?? m[2] ?? m[5];
  return (m[3] ?? m[4])!.replace(/\\(.)/g, "$1");
}

/** Body of the first `{ … }` in text (balanced). */
function braceBody(text: string): { body: string; offset: number } | undefined {
  const open = text.indexOf("{");
  if (open === -1) return undefined;
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return { body: text.slice(open + 1, i), offset: open + 1 };
  }
  return undefined;
}

/** Built-in scalar functions called without arguments, which may open a scalar function's body (`{ now() }`). */
const NULLARY_BUILTINS = new Set(["now", "pi", "rand", "newguid", "ingestion_time", "current_database", "current_cluster_endpoint", "current_principal", "current_principal_details", "cursor_current", "extent_id", "extent_tags", "row_number", "getschema"]);
const QUERY_KEYWORDS = new Set(["let", "print", "range", "datatable", "union", "find", "search", "evaluate", "materialize", "toscalar", "declare", "pattern", "set", "alias", "restrict"]);

/** Tabular names a query reads: the source of each statement, `join`/`lookup`/`union` operands, `table("X")`. */
export function tabularReferences(query: string): { name: string; offset: number; kind: "source" | "table" | "view" }[] {
  const refs: { name: string; offset: number; kind: "source" | "table" | "view" }[] = [];
  const code = query.replace(/\/\/[^\n]*/g, (m) => " ".repeat(m.length));
  const lets = new Set<string>();
  for (const m of code.matchAll(/\blet\s+([A-Za-z_]\w*)\s*=/g)) lets.add(m[1]!);
  // The source of each statement: the first name of the statement (after `;` or at the start).
  for (const m of code.matchAll(/(^|;)\s*([A-Za-z_]\w*)(?=\s*(\||;|$|\(\s*\)))/g)) {
    const name = m[2]!;
    if (QUERY_KEYWORDS.has(name) || lets.has(name) || NULLARY_BUILTINS.has(name)) continue;
    refs.push({ name, offset: m.index! + m[0].length - name.length, kind: "source" });
  }
  // `let name = Source | …`: the source of a bound query.
  for (const m of code.matchAll(/\blet\s+[A-Za-z_]\w*\s*=\s*([A-Za-z_]\w*)(?=\s*\|)/g)) {
    const name = m[1]!;
    if (QUERY_KEYWORDS.has(name) || lets.has(name)) continue;
    refs.push({ name, offset: m.index! + m[0].length - name.length, kind: "source" });
  }
  for (const m of code.matchAll(/\b(?:join|lookup)\b(?:\s+kind\s*=\s*\w+)?(?:\s+hint\.\w+\s*=\s*\w+)*\s*\(?\s*([A-Za-z_]\w*)/g)) {
    const name = m[1]!;
    if (QUERY_KEYWORDS.has(name) || lets.has(name)) continue;
    refs.push({ name, offset: m.index! + m[0].length - name.length, kind: "source" });
  }
  // `union [kind=…] A, (B), C`: each operand that is a plain name.
  for (const m of code.matchAll(/\bunion\b((?:\s+[\w.]+\s*=\s*\w+)*)\s+([^|;]+)/g)) {
    let offset = m.index! + m[0].length - m[2]!.length;
    for (const part of m[2]!.split(",")) {
      const name = /^\s*\(?\s*([A-Za-z_]\w*)\s*\)?\s*$/.exec(part)?.[1];
      if (name && !QUERY_KEYWORDS.has(name) && !lets.has(name)) refs.push({ name, offset: offset + part.indexOf(name), kind: "source" });
      offset += part.length + 1;
    }
  }
  for (const m of code.matchAll(/\b(table|materialized_view)\s*\(\s*['"]([^'"]+)['"]/g)) {
    refs.push({ name: m[2]!, offset: m.index! + m[0].indexOf(m[2]!), kind: m[1] === "materialized_view" ? "view" : "table" });
  }
  return refs;
}

export interface KqlCheckResult {
  errors: string[];
  state: KqlState;
}

/** Checks the scripts in order against the declared schema. */
export function checkKqlScripts(schema: KqlSchema, scripts: KqlScript[]): KqlCheckResult {
  const state: KqlState = {
    tables: new Map(schema.tables.map((t) => [t.name, t.columns.map((c) => ({ name: c.name, type: canonical(c.type) }))])),
    mappings: new Map(Object.entries(schema.mappings ?? {}).map(([t, names]) => [t, new Set(names)])),
    functions: new Set(schema.functions ?? []),
    functionColumns: new Map(),
    views: new Map(),
  };
  const errors: string[] = [];
  for (const script of scripts) {
    for (const command of splitCommands(script.text)) {
      const at = (offset = 0) => `${script.file}:${command.line + (command.text.slice(0, offset).match(/\n/g)?.length ?? 0)}`;
      const report = (message: string, offset?: number) => errors.push(`${at(offset)}: ${message}`);
      checkCommand(command.text, state, report);
    }
  }
  return { errors, state };
}

type Report = (message: string, offset?: number) => void;

const known = (state: KqlState, name: string) => state.tables.has(name) || state.views.has(name);

function requireTable(state: KqlState, name: string, report: Report, offset: number, what = "table"): boolean {
  if (state.tables.has(name)) return true;
  const views = state.views.has(name) ? ` ('${name}' is a materialized view)` : "";
  report(`${what} '${name}' is not declared in the schema or created by an earlier script${views}`, offset);
  return false;
}

/** A query's tabular references exist (tables, views, functions, or the query's own `let`s). */
function checkQuery(query: string, offset: number, state: KqlState, report: Report, parameters: string[] = []): void {
  for (const ref of tabularReferences(query)) {
    if (parameters.includes(ref.name)) continue;
    const exists = ref.kind === "view" ? state.views.has(ref.name) : ref.kind === "table" ? known(state, ref.name) : known(state, ref.name) || state.functions.has(ref.name);
    if (!exists) {
      const what = ref.kind === "view" ? "materialized view" : ref.kind === "table" ? "table" : "table or function";
      report(`${what} '${ref.name}' is not declared in the schema or created by an earlier script`, offset + ref.offset);
    }
  }
}

/** Splits at commas outside parentheses, brackets and strings. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\") i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/** The output columns of a query whose last operator is `| project a = …, b, …`; undefined otherwise. */
export function projectedColumns(query: string): string[] | undefined {
  const code = query.replace(/\/\/[^\n]*/g, "");
  const pipes = [...code.matchAll(/\|\s*(\w[\w-]*)/g)];
  const last = pipes[pipes.length - 1];
  if (!last || last[1] !== "project") return undefined;
  const columns: string[] = [];
  for (const item of splitTopLevel(code.slice(last.index! + last[0].length))) {
    const m = new RegExp(`^(${NAME})\\s*(=|$)`).exec(item);
    if (!m) return undefined;
    columns.push(unquote(m[1]!));
  }
  return columns;
}

function parseColumns(list: string): KqlColumn[] | string {
  const columns: KqlColumn[] = [];
  for (const part of list.split(",").map((p) => p.trim()).filter(Boolean)) {
    const m = new RegExp(`^(${NAME})\\s*:\\s*([A-Za-z0-9_]+)$`).exec(part);
    if (!m) return `'${part}' is not a column (name:type)`;
    const type = canonical(m[2]!);
    if (!(KQL_SCALAR_TYPES as readonly string[]).includes(type)) return `column '${unquote(m[1]!)}' has type '${m[2]}', not a Kusto scalar type (${[...new Set(KQL_SCALAR_TYPES.map(canonical))].join(", ")})`;
    columns.push({ name: unquote(m[1]!), type });
  }
  return columns;
}

const SUPPORTED =
  ".create/.create-merge/.alter-merge table T (columns), .create/.create-or-alter table T ingestion <kind> mapping, .create/.create-or-alter function, " +
  ".alter/.alter-merge table|materialized-view T policy <policy>, .create/.create-or-alter/.create ifnotexists materialized-view V on table T";

function checkCommand(text: string, state: KqlState, report: Report): void {
  if (!text.startsWith(".")) {
    report(`'${text.split("\n")[0]!.slice(0, 40)}' is not a management command (a command starts with '.'; a query has no place in a database script)`);
    return;
  }
  let m: RegExpExecArray | null;
  // Ingestion mappings (before tables: both start with `.create table T`).
  if ((m = new RegExp(`^\\.(create|create-or-alter|alter)\\s+table\\s+(${NAME})\\s+ingestion\\s+(\\w+)\\s+mapping\\s+`, "i").exec(text))) {
    const table = unquote(m[2]!);
    const rest = text.slice(m[0].length);
    const nameLiteral = /^(['"])([^'"]+)\1\s*/.exec(rest);
    if (!nameLiteral) return report(`mapping of table '${table}' has no name (a quoted string)`);
    const json = stringLiteral(rest.slice(nameLiteral[0].length));
    if (json === undefined) return report(`mapping '${nameLiteral[2]}' has no definition (a JSON string)`);
    const tableOffset = text.indexOf(m[2]!);
    if (!requireTable(state, table, report, tableOffset)) return;
    let entries: unknown;
    try {
      entries = JSON.parse(json);
    } catch (error) {
      return report(`mapping '${nameLiteral[2]}': its definition is not JSON (${(error as Error).message})`, m[0].length);
    }
    if (!Array.isArray(entries)) return report(`mapping '${nameLiteral[2]}': its definition is not a JSON array of column mappings`, m[0].length);
    const columns = new Map(state.tables.get(table)!.map((c) => [c.name, c]));
    for (const entry of entries as Record<string, unknown>[]) {
      const column = (entry.column ?? entry.Column) as string | undefined;
      const type = (entry.datatype ?? entry.DataType) as string | undefined;
      const offset = m[0].length + nameLiteral[0].length + Math.max(0, json.indexOf(`"${column}"`));
      if (typeof column !== "string") report(`mapping '${nameLiteral[2]}': an entry has no column`, offset);
      else if (!columns.has(column)) report(`mapping '${nameLiteral[2]}' maps column '${column}', which table '${table}' does not have (columns: ${[...columns.keys()].join(", ")})`, offset);
      else if (type && canonical(type) !== columns.get(column)!.type) report(`mapping '${nameLiteral[2]}' maps column '${column}' as ${type}, but table '${table}' has it as ${columns.get(column)!.type}`, offset);
    }
    if (!state.mappings.has(table)) state.mappings.set(table, new Set());
    state.mappings.get(table)!.add(nameLiteral[2]!);
    return;
  }
  // Tables.
  if ((m = new RegExp(`^\\.(create|create-merge|alter-merge|alter)\\s+table\\s+(${NAME})\\s*\\(([^)]*)\\)`, "i").exec(text))) {
    const verb = m[1]!.toLowerCase();
    const table = unquote(m[2]!);
    const columns = parseColumns(m[3]!);
    if (typeof columns === "string") return report(`table '${table}': ${columns}`, text.indexOf("("));
    if (state.views.has(table)) return report(`'${table}' is a materialized view, not a table`);
    const existing = state.tables.get(table);
    if ((verb === "alter-merge" || verb === "alter") && !existing) return report(`table '${table}' is not declared in the schema or created by an earlier script`, text.indexOf(m[2]!));
    if (existing && (verb === "create-merge" || verb === "alter-merge")) {
      for (const column of columns) {
        const have = existing.find((c) => c.name === column.name);
        if (have && have.type !== column.type) report(`table '${table}' has column '${column.name}' as ${have.type}; ${verb} cannot change it to ${column.type}`, text.indexOf(column.name));
        if (!have) existing.push(column);
      }
    } else state.tables.set(table, columns);
    return;
  }
  // Functions.
  if ((m = new RegExp(`^\\.(create|create-or-alter|alter)\\s+function\\s+(?:ifnotexists\\s+)?${WITH}(${NAME})\\s*\\(([^)]*)\\)\\s*`, "i").exec(text))) {
    const name = unquote(m[2]!);
    const body = braceBody(text.slice(m[0].length));
    if (!body) return report(`function '${name}' has no body ({ … })`);
    const parameters = m[3]!.split(",").map((p) => p.split(":")[0]!.trim()).filter(Boolean);
    if (m[1]!.toLowerCase() === "alter" && !state.functions.has(name)) report(`function '${name}' is not declared or created by an earlier script`, text.indexOf(m[2]!));
    checkQuery(body.body, m[0].length + body.offset, state, report, parameters);
    state.functions.add(name);
    const columns = projectedColumns(body.body);
    if (columns) state.functionColumns.set(name, columns);
    else state.functionColumns.delete(name);
    return;
  }
  // Materialized views.
  if ((m = new RegExp(`^\\.(create|create-or-alter)\\s+(?:async\\s+)?(?:ifnotexists\\s+)?materialized-view\\s+${WITH}(${NAME})\\s+on\\s+(table|materialized-view)\\s+(${NAME})\\s*`, "i").exec(text))) {
    const view = unquote(m[2]!);
    const source = unquote(m[4]!);
    const sourceOffset = text.indexOf(m[4]!, text.indexOf(" on "));
    const sourceKnown = m[3]!.toLowerCase() === "table" ? requireTable(state, source, report, sourceOffset) : state.views.has(source) || (report(`materialized view '${source}' is not created by an earlier script`, sourceOffset), false);
    const body = braceBody(text.slice(m[0].length));
    if (!body) return report(`materialized view '${view}' has no query ({ … })`);
    if (sourceKnown) {
      const first = tabularReferences(body.body)[0];
      if (!first || first.name !== source) report(`materialized view '${view}' is declared on '${source}', but its query starts from ${first ? `'${first.name}'` : "no table"}`, m[0].length + body.offset + (first?.offset ?? 0));
      checkQuery(body.body, m[0].length + body.offset, state, report);
    }
    if (!/\bsummarize\b|\btake_any\b|\barg_max\b/.test(body.body)) report(`materialized view '${view}': its query must end in a summarize (an aggregation)`, m[0].length + body.offset);
    state.views.set(view, source);
    return;
  }
  // Policies of a table or a materialized view.
  if ((m = new RegExp(`^\\.(alter|alter-merge|delete)\\s+(table|materialized-view)\\s+(${NAME})\\s+policy\\s+(\\w+)\\s*`, "i").exec(text))) {
    const kind = m[2]!.toLowerCase();
    const name = unquote(m[3]!);
    const policy = m[4]!.toLowerCase();
    const offset = text.indexOf(m[3]!);
    if (kind === "table" && !requireTable(state, name, report, offset)) return;
    if (kind === "materialized-view" && !state.views.has(name)) return report(`materialized view '${name}' is not created by an earlier script`, offset);
    if (policy === "update" && m[1]!.toLowerCase() !== "delete") checkUpdatePolicy(text.slice(m[0].length), m[0].length, name, state, report);
    else if (!["retention", "caching", "streamingingestion", "ingestionbatching", "partitioning", "merge", "rowlevelsecurity", "roworder", "restricted_view_access", "ingestiontime", "mirroring", "sharding", "encoding"].includes(policy)) {
      report(`'${policy}' is not a table policy (retention, caching, update, streamingingestion, ingestionbatching, partitioning, merge, …)`, text.indexOf(m[4]!, offset));
    }
    return;
  }
  if (/^\.(alter|alter-merge|delete)\s+database\s+(\S+\s+)?policy\s+\w+/i.test(text)) return;
  report(`'${text.split(/\s/)[0]} …' is not a command streamkit checks (checked: ${SUPPORTED}); keep other commands out of the scripts or apply them by hand`);
}

function checkUpdatePolicy(rest: string, base: number, target: string, state: KqlState, report: Report): void {
  const json = stringLiteral(rest);
  if (json === undefined) return report(`update policy of table '${target}' has no definition (a JSON string)`, base);
  let policies: unknown;
  try {
    policies = JSON.parse(json);
  } catch (error) {
    return report(`update policy of table '${target}' is not JSON (${(error as Error).message})`, base);
  }
  if (!Array.isArray(policies)) return report(`update policy of table '${target}' is not a JSON array`, base);
  for (const policy of policies as Record<string, unknown>[]) {
    const source = policy.Source;
    const query = policy.Query;
    const at = (needle: unknown) => base + Math.max(0, rest.indexOf(String(needle)));
    if (typeof source !== "string") report(`update policy of table '${target}': an entry has no Source table`, base);
    else if (!state.tables.has(source)) report(`update policy of table '${target}' reads Source '${source}', which is not declared in the schema or created by an earlier script`, at(source));
    if (typeof query !== "string") report(`update policy of table '${target}': an entry has no Query`, base);
    else checkQuery(query, at(query), state, report);
    const called = typeof query === "string" ? /^\s*([A-Za-z_]\w*)\s*\(\s*\)\s*$/.exec(query) : null;
    const produced = called ? state.functionColumns.get(called[1]!) : undefined;
    const columns = state.tables.get(target)?.map((c) => c.name);
    if (produced && columns && produced.join(",") !== columns.join(",")) {
      report(`update policy of table '${target}': ${called![1]}() returns columns (${produced.join(", ")}), but the table has (${columns.join(", ")}): an update policy's query must produce the target table's columns, in order`, at(query));
    }
    if (source === target) report(`update policy of table '${target}' reads itself (Source '${source}'): ingestion would loop`, at(source));
  }
}
