// Short, readable renderings of runtime values for error messages.
import { DateTimeValue, type Value } from "../values";

const MAX_TEXT = 80;

export function describeValue(value: Value): string {
  if (value === null) return "NULL";
  if (typeof value === "string") {
    const text = value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
    return `'${text}' (nvarchar(max))`;
  }
  if (typeof value === "number") return `${value}`;
  if (typeof value === "boolean") return `${value ? 1 : 0} (bit)`;
  if (value instanceof DateTimeValue) return `${value.toString()} (datetime)`;
  const json = JSON.stringify(value);
  const text = json.length > MAX_TEXT ? `${json.slice(0, MAX_TEXT)}…` : json;
  return `${text} (${Array.isArray(value) ? "array" : "record"})`;
}
