// SQL / Synapse outputs: the selected columns must fit the declared table — every selected
// name a table column, every NOT NULL column selected, types convertible.
import type * as A from "../ast";
import type { OutputSpec } from "../../job/schema";
import { diagnosticAt, type Diagnostic } from "./diagnostics";
import type { StaticType } from "./types";

/** The output field name of a select item: its alias, else the last part of a column path. */
export function outputColumnName(item: A.ExpressionItem): string | undefined {
  if (item.alias) return item.alias.name;
  if (item.expr.kind === "ColumnReference") return item.expr.parts[item.expr.parts.length - 1]!.name;
  return undefined;
}

/**
 * The SAQL types a SQL Server column accepts, from the reference's "Type mapping when writing
 * to structured data stores" table (data-types page). Column types the table does not name
 * (money, date, time, …) are not judged.
 */
function acceptedTypes(sqlType: string): StaticType[] | undefined {
  const base = sqlType.toLowerCase().replace(/\s+/g, "").replace(/\(.*\)$/, "");
  switch (base) {
    case "bigint":
    case "int":
    case "smallint":
    case "tinyint":
      return ["bigint", "bit"];
    case "bit":
      return ["bit"];
    case "float":
    case "real":
    case "decimal":
    case "numeric":
      return ["float"];
    case "char":
    case "varchar":
    case "nchar":
    case "nvarchar":
    case "text":
    case "ntext":
      return ["nvarchar(max)", "bigint", "float", "datetime", "bit"];
    case "uniqueidentifier":
      return ["nvarchar(max)"];
    case "datetime":
    case "datetime2":
    case "datetimeoffset":
      return ["datetime"];
    default:
      return undefined;
  }
}

export function checkOutputTable(
  select: A.SelectQuery,
  output: OutputSpec,
  diagnostics: Diagnostic[],
  typeOf: (e: A.Expression) => StaticType | undefined,
): void {
  const table = output.table!;
  const columns = new Map(table.columns.map((c) => [c.name.toLowerCase(), c]));
  const selected = new Set<string>();
  let hasStar = false;
  for (const item of select.items) {
    if (item.kind === "Star") {
      hasStar = true;
      continue;
    }
    const name = outputColumnName(item);
    if (!name) {
      diagnostics.push(diagnosticAt(item.span, "OUTPUT_COLUMN_UNKNOWN", `this expression has no column name for table ${table.name} of output '${output.alias}': name it with AS <column>`));
      continue;
    }
    const key = name.toLowerCase();
    selected.add(key);
    const column = columns.get(key);
    const at = item.alias ?? item;
    if (!column) {
      diagnostics.push(
        diagnosticAt(at.span, "OUTPUT_COLUMN_UNKNOWN", `column '${name}' is not in table ${table.name} of output '${output.alias}': rename it with AS to one of ${table.columns.map((c) => c.name).join(", ")}, or add the column to the table`),
      );
      continue;
    }
    const type = typeOf(item.expr);
    const accepted = acceptedTypes(column.sqlType);
    if (type && accepted && !accepted.includes(type)) {
      const why =
        type === "record" || type === "array"
          ? `ASA writes the text '${type === "record" ? "Record" : "Array"}' for a ${type} into a SQL column: select its fields, or serialize it with a UDF`
          : `convert with CAST(… AS ${accepted[0]}) or change the column type`;
      diagnostics.push(
        diagnosticAt(item.span, "OUTPUT_COLUMN_TYPE", `column '${column.name}' of table ${table.name} is ${column.sqlType}, but the query writes ${type} to it: ${why}`),
      );
    }
  }
  if (hasStar) return; // SELECT * writes the source's fields, unknown before run time.
  for (const column of table.columns) {
    if (selected.has(column.name.toLowerCase())) continue;
    const nullable = column.nullable !== false;
    diagnostics.push(
      diagnosticAt(
        (select.into ?? select).span,
        "OUTPUT_COLUMN_MISSING",
        nullable
          ? `table ${table.name} of output '${output.alias}' has a column '${column.name}' that the query does not select: it will be NULL`
          : `table ${table.name} of output '${output.alias}' has a NOT NULL column '${column.name}' that the query does not select: select a value AS ${column.name}`,
        nullable ? "warning" : "error",
      ),
    );
  }
}
