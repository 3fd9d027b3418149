// Static types of SAQL expressions, as far as the query shows them: literals, casts,
// built-in return types, declared schemas. `undefined` means "not known before run time".
import type * as A from "../ast";
import { lookupFunction, type CatalogType } from "../catalog";

export type StaticType = Exclude<CatalogType, "numeric" | "any">;

/** Normalizes a TypeName to a SAQL type, or undefined when it is not one. */
export function saqlTypeOf(name: string): StaticType | undefined {
  const n = name.toLowerCase().replace(/\s+/g, "");
  if (n === "bigint" || n === "float" || n === "datetime" || n === "bit" || n === "record" || n === "array") return n;
  if (n === "nvarchar(max)") return "nvarchar(max)";
  return undefined;
}

/** Reads a column's declared type, if any (from CREATE TABLE or the job's input schema). */
export type ColumnTypeLookup = (ref: A.ColumnReference) => StaticType | undefined;

/** Functions whose result has the type of their first argument (their reference pages say so). */
const SAME_AS_FIRST_ARG = new Set(["abs", "ceiling", "floor", "sign", "round", "power", "max", "min", "sum", "lag", "last", "coalesce", "nullif"]);

export function inferType(e: A.Expression, columnType: ColumnTypeLookup): StaticType | undefined {
  switch (e.kind) {
    case "Literal":
      return e.type === "null" ? undefined : e.type === "nvarchar" ? "nvarchar(max)" : e.type;
    case "ColumnReference":
      return columnType(e);
    case "Cast":
      return saqlTypeOf(e.type.name);
    case "Unary":
      return e.op === "NOT" ? "bit" : inferType(e.operand, columnType);
    case "Binary": {
      if (["=", "!=", "<>", "<", ">", "<=", ">=", "AND", "OR"].includes(e.op)) return "bit";
      const l = inferType(e.left, columnType);
      const r = inferType(e.right, columnType);
      if (e.op === "+" && (l === "nvarchar(max)" || r === "nvarchar(max)")) return "nvarchar(max)";
      if (l === "float" || r === "float") return l && r ? "float" : undefined;
      if (l === "bigint" && r === "bigint") return "bigint";
      return undefined;
    }
    case "Between":
    case "In":
    case "Like":
    case "IsNull":
      return "bit";
    case "Case": {
      const types = [...e.whens.map((w) => w.then), ...(e.else ? [e.else] : [])].map((x) => inferType(x, columnType));
      const first = types.find((t) => t !== undefined);
      return types.every((t) => t === undefined || t === first) ? first : undefined;
    }
    case "FunctionCall": {
      if (e.namespace === "udf" || e.namespace === "uda") return undefined;
      const key = e.namespace === "system" ? `system.${e.name.name.toLowerCase()}` : e.name.name.toLowerCase();
      const sig = lookupFunction(key);
      if (!sig) return undefined;
      if (sig.returns && sig.returns !== "numeric" && sig.returns !== "any") return sig.returns;
      if (SAME_AS_FIRST_ARG.has(key) && e.args[0]) {
        const t = inferType(e.args[0], columnType);
        if (key === "sum" && t === "bit") return "bigint";
        return t;
      }
      return undefined;
    }
    case "IndexAccess":
    case "MemberAccess":
      return undefined;
  }
}

/** Whether a value of static type `actual` can be passed where `expected` is required (implicit conversions SAQL does). */
export function isAssignable(actual: StaticType, expected: CatalogType): boolean {
  if (expected === "any" || actual === expected) return true;
  switch (expected) {
    case "numeric":
    case "float":
    case "bigint":
      return actual === "bigint" || actual === "float" || actual === "bit";
    case "datetime":
      // Strings convert to datetime (ISO 8601), as the DATEADD/DATEDIFF pages say.
      return actual === "nvarchar(max)";
    case "nvarchar(max)":
      return actual !== "record" && actual !== "array";
    case "bit":
      return actual === "bigint";
    default:
      return false;
  }
}
