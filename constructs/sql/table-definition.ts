// A SQL table declared in code (the job model's TableSpec): checked for valid identifiers
// and SQL Server types, and turned into the CREATE TABLE statement a deployer runs (Terraform
// has no resource for tables). The job construct checks a query's output columns against it.
import { tableSchema, type TableSpec } from "../../lib/job";
import { namingProblem, NAMING_RULES } from "../core/naming";

/** SQL Server types a Stream Analytics output can write, with the arguments each takes. */
const SQL_TYPES: Record<string, "none" | "length" | "precision" | "fraction"> = {
  bigint: "none",
  int: "none",
  smallint: "none",
  tinyint: "none",
  bit: "none",
  float: "none",
  real: "none",
  decimal: "precision",
  numeric: "precision",
  money: "none",
  datetime: "none",
  datetime2: "fraction",
  datetimeoffset: "fraction",
  date: "none",
  time: "fraction",
  nvarchar: "length",
  varchar: "length",
  nchar: "length",
  char: "length",
  uniqueidentifier: "none",
  varbinary: "length",
  binary: "length",
};

/** The problem with a SQL type text (e.g. `nvarchar(50)`), or undefined. */
export function sqlTypeProblem(sqlType: string): string | undefined {
  const match = /^\s*([A-Za-z0-9]+)\s*(?:\(\s*([^)]*?)\s*\))?\s*$/.exec(sqlType);
  if (!match) return `'${sqlType}' is not a SQL type`;
  const base = match[1]!.toLowerCase();
  const args = match[2];
  const kind = SQL_TYPES[base];
  if (!kind) return `'${sqlType}' is not a SQL type a Stream Analytics output can write (known: ${Object.keys(SQL_TYPES).join(", ")})`;
  if (args === undefined) return undefined;
  const unicode = base.startsWith("n");
  switch (kind) {
    case "none":
      return `${base} takes no arguments`;
    case "length": {
      if (/^max$/i.test(args)) return base === "char" || base === "nchar" || base === "binary" ? `${base}(max) does not exist` : undefined;
      const n = Number(args);
      const limit = unicode ? 4000 : 8000;
      const orMax = base === "char" || base === "nchar" || base === "binary" ? "" : " or max";
      return Number.isInteger(n) && n >= 1 && n <= limit ? undefined : `${base} length is 1-${limit}${orMax}, not '${args}'`;
    }
    case "precision": {
      const [p, s, extra] = args.split(/\s*,\s*/).map(Number);
      if (extra !== undefined || p === undefined || !Number.isInteger(p) || p < 1 || p > 38) return `${base} precision is 1-38, not '${args}'`;
      if (s !== undefined && (!Number.isInteger(s) || s < 0 || s > p)) return `${base} scale is 0-${p}, not '${args}'`;
      return undefined;
    }
    case "fraction": {
      const n = Number(args);
      return Number.isInteger(n) && n >= 0 && n <= 7 ? undefined : `${base} fractional-seconds precision is 0-7, not '${args}'`;
    }
  }
}

/** Every problem of a table definition, each naming the table and column. */
export function tableProblems(table: TableSpec): string[] {
  const parsed = tableSchema.safeParse(table);
  if (!parsed.success) return parsed.error.issues.map((i) => `table '${table.name}': ${i.path.join(".")}: ${i.message}`);
  const problems: string[] = [];
  const [schema, name] = splitTableName(table.name);
  for (const part of [schema, name]) {
    const problem = part === undefined ? undefined : namingProblem(NAMING_RULES.sqlIdentifier, part);
    if (problem) problems.push(`table '${table.name}': ${problem}`);
  }
  const seen = new Set<string>();
  for (const column of table.columns) {
    const key = column.name.toLowerCase();
    if (seen.has(key)) problems.push(`table '${table.name}': column '${column.name}' is declared twice (SQL names are case-insensitive)`);
    seen.add(key);
    const nameProblem = namingProblem(NAMING_RULES.sqlIdentifier, column.name);
    if (nameProblem) problems.push(`table '${table.name}': ${nameProblem}`);
    const typeProblem = sqlTypeProblem(column.sqlType);
    if (typeProblem) problems.push(`table '${table.name}' column '${column.name}': ${typeProblem}`);
  }
  return problems;
}

/** `dbo.telemetry` → ["dbo", "telemetry"]; `telemetry` → [undefined, "telemetry"]. */
function splitTableName(name: string): [string | undefined, string] {
  const dot = name.indexOf(".");
  return dot < 0 ? [undefined, name] : [name.slice(0, dot), name.slice(dot + 1)];
}

/** The CREATE TABLE statement for a valid table (schema `dbo` unless the name has one). */
export function createTableSql(table: TableSpec): string {
  const [schema, name] = splitTableName(table.name);
  const columns = table.columns.map((c) => `    [${c.name}] ${c.sqlType.trim().toUpperCase()} ${c.nullable === false ? "NOT NULL" : "NULL"}`);
  return `CREATE TABLE [${schema ?? "dbo"}].[${name}] (\n${columns.join(",\n")}\n);\n`;
}

/** The tables of one database or SQL pool, looked up case-insensitively as SQL does. */
export class TableCatalog {
  readonly tables: Record<string, TableSpec> = {};

  constructor(private readonly owner: string) {}

  add(table: TableSpec): void {
    if (this.tables[table.name]) throw new Error(`table '${table.name}' is declared twice in ${this.owner}`);
    this.tables[table.name] = table;
  }

  get(name: string): TableSpec {
    const table = this.tables[name] ?? Object.values(this.tables).find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (!table) throw new Error(`${this.owner} declares no table '${name}' (declared: ${Object.keys(this.tables).join(", ") || "none"})`);
    return table;
  }

  createSql(): string {
    return Object.values(this.tables).map(createTableSql).join("\n");
  }

  problems(): string[] {
    return Object.values(this.tables).flatMap(tableProblems);
  }
}
