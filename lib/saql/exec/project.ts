// The SELECT list as one function from a row to the output record.
import { NotSupportedError } from "../../core/errors";
import type { Expression, SelectItem } from "../ast";
import type { RecordValue, Value } from "../values";
import { locationOf, type Evaluator } from "./compile-expr";

export interface ProjectionOptions {
  compile: (expr: Expression) => Evaluator;
  /** How `*` / `alias.*` reads a row (the qualifier as written, or undefined); undefined where `*` is not allowed (grouped rows). */
  star?: (path: string[] | undefined, span: SelectItem["span"]) => (row: any) => RecordValue;
  /** Compatibility level 1.0 lower-cases output field names; 1.1 and later keep them as written. */
  lowerCaseNames: boolean;
  file?: string;
}

/**
 * The name a SELECT item gets in the output record: its alias, else the last part of a column
 * path (`e.rec.Temp` → `Temp`) or the field of a member access (`System.Window().Id` → `Id`).
 * ASA also accepts computed columns without AS (the COUNT page's own example selects `COUNT(*)`)
 * but documents no name for them. A function call is named by its function's name in lower case
 * (`COUNT(*)` → `count`, `udf.toF(x)` → `tof`): an ASA local run in Microsoft's samples
 * (azure-stream-analytics Samples/OnnxExample) names `count(*)` `count`; lower-casing an upper-case
 * call is unverified. Any other expression is `Column<n>` for the n-th such column (the .NET
 * DataTable default) — UNVERIFIED, no evidence found.
 */
export function columnName(item: { expr: Expression; alias?: { name: string } }, unnamedOrdinal: number): string {
  if (item.alias) return item.alias.name;
  const expr = item.expr;
  if (expr.kind === "ColumnReference") return expr.parts[expr.parts.length - 1].name;
  if (expr.kind === "MemberAccess") return expr.field.name;
  if (expr.kind === "FunctionCall") return expr.name.name.toLowerCase();
  return `Column${unnamedOrdinal}`;
}

export function buildProjection(items: SelectItem[], o: ProjectionOptions): (row: any) => RecordValue {
  const steps: ({ kind: "star"; read: (row: any) => RecordValue } | { kind: "field"; name: string; value: Evaluator })[] = [];
  const taken = new Set(items.flatMap((i) => (i.kind === "SelectExpression" && (i.alias || i.expr.kind === "ColumnReference") ? [columnName(i, 0).toLowerCase()] : [])));
  let unnamed = 0;
  for (const item of items) {
    if (item.kind === "Star") {
      if (!o.star) throw new NotSupportedError("SELECT * with GROUP BY", locationOf(item.span, o.file));
      const path = item.path ?? (item.qualifier ? [item.qualifier] : undefined);
      steps.push({ kind: "star", read: o.star(path?.map((p) => p.name), item.span) });
    } else {
      let name = columnName(item, item.alias || item.expr.kind === "ColumnReference" ? 0 : ++unnamed);
      if (!item.alias && item.expr.kind !== "ColumnReference") {
        // A generated name that is already taken gets a number (`count`, `count2`): no column is lost.
        const base = name;
        for (let k = 2; taken.has(name.toLowerCase()); k++) name = `${base}${k}`;
        taken.add(name.toLowerCase());
      }
      steps.push({ kind: "field", name: o.lowerCaseNames ? name.toLowerCase() : name, value: o.compile(item.expr) });
    }
  }
  const lower = o.lowerCaseNames;
  if (steps.length === 1 && steps[0].kind === "star" && !lower) return steps[0].read;
  const fields = steps.filter((s): s is { kind: "field"; name: string; value: Evaluator } => s.kind === "field");
  if (fields.length === steps.length) {
    const names = fields.map((f) => f.name);
    const values = fields.map((f) => f.value);
    const n = names.length;
    return (row) => {
      const rec: RecordValue = {};
      for (let i = 0; i < n; i++) rec[names[i]] = values[i](row);
      return rec;
    };
  }
  // SELECT page: "Columns from * expression with names conflicting with previously projected
  // columns in the same SELECT statement are ignored. Columns on the left side … take precedence."
  return (row) => {
    const rec: RecordValue = {};
    const taken = new Set<string>();
    const put = (name: string, value: Value) => {
      const key = name.toLowerCase();
      if (taken.has(key)) return;
      taken.add(key);
      rec[name] = value;
    };
    for (const step of steps) {
      if (step.kind === "star") {
        const source = step.read(row);
        for (const key in source) put(lower ? key.toLowerCase() : key, source[key] as Value);
      } else put(step.name, step.value(row));
    }
    return rec;
  };
}
