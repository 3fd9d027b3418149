// The SELECT list as one function from a row to the output record.
import { NotSupportedError } from "../../core/errors";
import type { Expression, SelectItem } from "../ast";
import type { RecordValue, Value } from "../values";
import { locationOf, type Evaluator } from "./compile-expr";

export interface ProjectionOptions {
  compile: (expr: Expression) => Evaluator;
  /** How `*` / `alias.*` reads a row (the qualifier as written, or undefined); undefined where `*` is not allowed (grouped rows). */
  star?: (qualifier: string | undefined, span: SelectItem["span"]) => (row: any) => RecordValue;
  /** Compatibility level 1.0 lower-cases output field names; 1.1 and later keep them as written. */
  lowerCaseNames: boolean;
  file?: string;
}

/** The name a SELECT item gets in the output record. */
export function columnName(item: { expr: Expression; alias?: { name: string } }, file?: string): string {
  if (item.alias) return item.alias.name;
  if (item.expr.kind === "ColumnReference") return item.expr.parts[item.expr.parts.length - 1].name;
  // ASA names an unnamed computed column itself; its rule is not documented, so we refuse to guess.
  throw new NotSupportedError("a computed SELECT column without a name (add `AS name`)", locationOf(item.expr.span, file));
}

export function buildProjection(items: SelectItem[], o: ProjectionOptions): (row: any) => RecordValue {
  const steps: ({ kind: "star"; read: (row: any) => RecordValue } | { kind: "field"; name: string; value: Evaluator })[] = [];
  for (const item of items) {
    if (item.kind === "Star") {
      if (!o.star) throw new NotSupportedError("SELECT * with GROUP BY", locationOf(item.span, o.file));
      steps.push({ kind: "star", read: o.star(item.qualifier?.name, item.span) });
    } else {
      const name = columnName(item, o.file);
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
  return (row) => {
    const rec: RecordValue = {};
    for (const step of steps) {
      if (step.kind === "star") {
        const source = step.read(row);
        for (const key in source) rec[lower ? key.toLowerCase() : key] = source[key] as Value;
      } else rec[step.name] = step.value(row);
    }
    return rec;
  };
}
