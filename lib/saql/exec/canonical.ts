// A span-free, case-normalized rendering of an expression, to tell when a SELECT expression is
// the same as a GROUP BY expression (`GROUP BY i.DeviceId` … `SELECT DeviceId`).
import type { Expression } from "../ast";

/**
 * `aliases`: each source name (lower case) → its source (−1 for the FROM source). A qualified
 * name and an unqualified one read the same field when they name the same source.
 */
export function canonical(expr: Expression, aliases: ReadonlyMap<string, number>): string {
  const c = (e: Expression) => canonical(e, aliases);
  switch (expr.kind) {
    case "Literal":
      return `lit:${expr.type}:${JSON.stringify(expr.value)}`;
    case "ColumnReference": {
      const parts = expr.parts.map((p) => p.name.toLowerCase());
      const side = parts.length > 1 ? aliases.get(parts[0]) : undefined;
      const path = side === undefined ? parts : parts.slice(1);
      return `col:${side ?? -1}:${path.join(".")}`;
    }
    case "MemberAccess":
      return `member(${c(expr.target)}).${expr.field.name.toLowerCase()}`;
    case "IndexAccess":
      return `idx(${c(expr.target)},${c(expr.index)})`;
    case "Unary":
      return `un:${expr.op}(${c(expr.operand)})`;
    case "Binary":
      return `bin:${expr.op}(${c(expr.left)},${c(expr.right)})`;
    case "Between":
      return `between:${expr.not}(${c(expr.expr)},${c(expr.low)},${c(expr.high)})`;
    case "In":
      return `in:${expr.not}(${c(expr.expr)};${expr.list.map(c).join(",")})`;
    case "Like":
      return `like:${expr.not}(${c(expr.expr)},${c(expr.pattern)})`;
    case "IsNull":
      return `isnull:${expr.not}(${c(expr.expr)})`;
    case "Case":
      return `case(${expr.operand ? c(expr.operand) : ""};${expr.whens.map((w) => `${c(w.when)}=>${c(w.then)}`).join(",")};${expr.else ? c(expr.else) : ""})`;
    case "Cast":
      return `cast:${expr.try}:${expr.type.name}(${c(expr.expr)})`;
    case "FunctionCall":
      return `fn:${expr.namespace ?? ""}.${expr.name.name.toLowerCase()}:${expr.star}:${expr.distinct}(${expr.args.map(c).join(",")})`;
  }
  return `?:${(expr as Expression).kind}`;
}
