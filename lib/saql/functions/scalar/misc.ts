// Conversion and other scalar built-ins: GetType, COALESCE, NULLIF, JSON_PARSE, GetMetadataPropertyValue.
// (CAST and TRY_CAST are expressions with a type name, not calls: the engine calls `cast` /
// `tryCast` from cast.ts.)
import { getField, isRecord, type RecordValue, type Value } from "../../values";
import { compare } from "../operators";
import type { FunctionContext, ScalarFunction } from "../context";
import { typeOf } from "../types";
import { arity, textArg } from "./args";

/**
 * A bracketed property path (also GetRecordPropertyValue's escaped names), as GetMetadataPropertyValue takes it: `[EventHub].[EventEnqueuedUtcTime]`,
 * `EventHub`, `EventId`, `[User].[my prop]`, or a dotted path without brackets.
 */
export function parseMetadataPath(path: string): string[] {
  const parts: string[] = [];
  const bracketed = /\[((?:[^\]]|\]\])*)\]|([^.[\]]+)/g;
  let match: RegExpExecArray | null;
  while ((match = bracketed.exec(path)) !== null) {
    parts.push(match[1] !== undefined ? match[1].replace(/\]\]/g, "]") : match[2].trim());
  }
  return parts.filter((p) => p !== "");
}

function metadataValue(ctx: FunctionContext, path: string): Value {
  let current: Value = ctx.metadata ?? null;
  for (const part of parseMetadataPath(path)) {
    if (!isRecord(current)) return null;
    current = getField(current, part);
  }
  return current;
}

/** JSON values as SAQL values: numbers, strings, booleans, null, objects → records, arrays. */
function jsonToValue(json: unknown): Value {
  if (Array.isArray(json)) return json.map(jsonToValue);
  if (typeof json === "object" && json !== null) {
    const out: RecordValue = {};
    for (const [k, v] of Object.entries(json)) out[k] = jsonToValue(v);
    return out;
  }
  return json as Value;
}

export const MISC_FUNCTIONS: Record<string, ScalarFunction> = {
  /** GetType(x): the type's name ('bigint', 'float', 'nvarchar(max)', 'datetime', 'bit', 'record', 'array'); NULL for NULL. */
  gettype: (args, ctx) => {
    arity("GetType", args, 1);
    return typeOf(args[0], ctx.argTypes?.[0]) ?? null;
  },

  /** COALESCE(a, b, …): the first non-NULL argument, else NULL. */
  coalesce: (args) => {
    arity("COALESCE", args, 1, Infinity);
    for (const arg of args) if (arg !== null) return arg;
    return null;
  },

  /** NULLIF(a, b): NULL when a = b, else a (NULLIF page). A NULL a gives NULL; a NULL b gives a. */
  nullif: (args) => {
    arity("NULLIF", args, 2);
    const [a, b] = args;
    if (a === null) return null;
    return compare("=", a, b) === true ? null : a;
  },

  /**
   * JSON_PARSE(text): the record a JSON object string holds. "A non-throwing function": NULL for
   * a non-string, invalid JSON, or JSON that is not an object (JSON_PARSE page).
   */
  json_parse: (args) => {
    arity("JSON_PARSE", args, 1);
    const [text] = args;
    if (typeof text !== "string") return null;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return null;
    }
    return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (jsonToValue(parsed) as RecordValue) : null;
  },

  /**
   * GetMetadataPropertyValue(input, 'path'): a property of the event's metadata (see
   * FunctionContext.metadata); NULL when the event has no such property. The first argument
   * names the input; the engine resolves it when it builds the context.
   */
  getmetadatapropertyvalue: (args, ctx) => {
    arity("GetMetadataPropertyValue", args, 2);
    if (args[1] === null) return null;
    return metadataValue(ctx, textArg("GetMetadataPropertyValue", args[1], 2));
  },
};
