// Small helpers over expressions: children, structural equality, a printable form.
import type * as A from "../ast";

/** The direct sub-expressions of an expression (not into OVER clauses unless asked). */
export function childExpressions(e: A.Expression, withOver = true): A.Expression[] {
  switch (e.kind) {
    case "Literal":
    case "ColumnReference":
      return [];
    case "IndexAccess":
      return [e.target, e.index];
    case "MemberAccess":
      return [e.target];
    case "FunctionCall": {
      const out = [...e.args];
      if (withOver && e.over) {
        out.push(...e.over.partitionBy);
        if (e.over.orderBy) out.push(...e.over.orderBy.map((o) => o.expr));
        if (e.over.when) out.push(e.over.when);
      }
      return out;
    }
    case "Unary":
      return [e.operand];
    case "Binary":
      return [e.left, e.right];
    case "Between":
      return [e.expr, e.low, e.high];
    case "In":
      return [e.expr, ...e.list];
    case "Like":
      return [e.expr, e.pattern];
    case "IsNull":
      return [e.expr];
    case "Case": {
      const out: A.Expression[] = [];
      if (e.operand) out.push(e.operand);
      for (const w of e.whens) out.push(w.when, w.then);
      if (e.else) out.push(e.else);
      return out;
    }
    case "Cast":
      return [e.expr];
  }
}

/** A canonical text of an expression, case-insensitive for names: used to match GROUP BY items. */
export function expressionKey(e: A.Expression): string {
  switch (e.kind) {
    case "Literal":
      return `lit:${e.type}:${String(e.value)}`;
    case "ColumnReference":
      return e.parts.map((p) => p.name.toLowerCase()).join(".");
    case "FunctionCall":
      return `${e.namespace ? `${e.namespace}.` : ""}${e.name.name.toLowerCase()}(${e.star ? "*" : ""}${e.distinct ? "distinct " : ""}${e.args.map(expressionKey).join(",")})${e.over ? "over" : ""}`;
    case "Cast":
      return `${e.try ? "try_cast" : "cast"}(${expressionKey(e.expr)} as ${e.type.name})`;
    case "Unary":
      return `${e.op}(${expressionKey(e.operand)})`;
    case "Binary":
      return `(${expressionKey(e.left)} ${e.op} ${expressionKey(e.right)})`;
    default:
      return `${e.kind}(${childExpressions(e).map(expressionKey).join(",")})`;
  }
}

/** How the user wrote an expression, from the source text. */
export function sourceText(text: string, node: { span: A.Span }): string {
  return text.slice(node.span.start, node.span.end);
}
