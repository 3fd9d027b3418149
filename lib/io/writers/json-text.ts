// JSON text of any depth. JSON.parse accepts nesting thousands of levels deep, but JSON.stringify
// (and any recursive walk) runs out of stack on it: such a value is written by an explicit-stack
// walk instead, so an event the reader accepted is never lost at the writer.

/** `JSON.stringify(value)`, also for values nested deeper than the call stack allows. */
export function jsonText(value: unknown): string {
  if (typeof value === "object" && value !== null && hasToJsonField(value)) {
    const text = flatRecordText(value as Record<string, unknown>);
    if (text !== undefined) return text;
  }
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return deepJsonText(value);
  }
}

type Frame = { kind: "array"; items: unknown[]; next: number } | { kind: "object"; entries: [string, unknown][]; next: number; wrote: boolean };

/** The same text JSON.stringify gives (toJSON, undefined and non-finite numbers alike), without recursion. */
export function deepJsonText(root: unknown): string {
  const out: string[] = [];
  const stack: Frame[] = [];
  /** Writes a scalar, or opens a container (pushed on the stack and closed by the loop). */
  const open = (input: unknown, inArray: boolean): void => {
    let value = input;
    if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON === "function") {
      value = (value as { toJSON(): unknown }).toJSON();
    }
    if (value === null) out.push("null");
    else if (typeof value === "string") out.push(JSON.stringify(value));
    else if (typeof value === "number") out.push(Number.isFinite(value) ? String(value) : "null");
    else if (typeof value === "boolean") out.push(value ? "true" : "false");
    else if (typeof value === "bigint") throw new TypeError("Do not know how to serialize a BigInt");
    else if (Array.isArray(value)) {
      out.push("[");
      stack.push({ kind: "array", items: value, next: 0 });
    } else if (typeof value === "object") {
      out.push("{");
      stack.push({ kind: "object", entries: Object.entries(value as object), next: 0, wrote: false });
    } else if (inArray) out.push("null"); // undefined or a function inside an array
  };
  const skipped = (value: unknown) => value === undefined || typeof value === "function" || typeof value === "symbol";
  if (skipped(root)) return undefined as unknown as string;
  open(root, false);
  while (stack.length) {
    const top = stack[stack.length - 1];
    if (top.kind === "array") {
      if (top.next === top.items.length) {
        out.push("]");
        stack.pop();
        continue;
      }
      if (top.next > 0) out.push(",");
      const item = top.items[top.next++];
      if (skipped(item)) out.push("null");
      else open(item, true);
    } else {
      if (top.next === top.entries.length) {
        out.push("}");
        stack.pop();
        continue;
      }
      const [key, item] = top.entries[top.next++];
      if (skipped(item)) continue;
      out.push(top.wrote ? "," : "", JSON.stringify(key), ":");
      top.wrote = true;
      open(item, false);
    }
  }
  return out.join("");
}

// A record holding a value with toJSON (a datetime, in engine rows) is written here rather than by
// JSON.stringify: the native serializer calling back into JavaScript for each such value costs more
// than the rest of the row.

/** Whether a record (not an array) has a field whose value is an object with a toJSON method. */
function hasToJsonField(value: object): boolean {
  if (Array.isArray(value) || typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    const v = record[key];
    if (typeof v === "object" && v !== null && typeof (v as { toJSON?: unknown }).toJSON === "function") return true;
  }
  return false;
}

/** JSON.stringify's text of a string: quoted as is when nothing in it needs escaping (the usual case). */
function stringText(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Quote, backslash, control characters and surrogates (JSON.stringify escapes lone ones).
    if (c < 32 || c === 34 || c === 92 || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/**
 * The field names of the last record written here, and the text before each field's value
 * (`{"name":`, `,"name":`): rows of one query share their names, so each is escaped once.
 */
const lastKeys: string[] = [];
const lastPrefixes: string[] = [];

/**
 * JSON.stringify's text of a record whose fields are scalars or objects with toJSON giving a
 * scalar; undefined (the caller uses JSON.stringify) for anything else: a nested record or array,
 * a record with a prototype of its own.
 */
function flatRecordText(record: Record<string, unknown>): string | undefined {
  const proto = Object.getPrototypeOf(record);
  if (proto !== Object.prototype && proto !== null) return undefined;
  let text = "";
  let written = 0;
  for (const key in record) {
    let v = record[key];
    if (typeof v === "object" && v !== null) {
      if (typeof (v as { toJSON?: unknown }).toJSON !== "function") return undefined;
      v = (v as { toJSON(key: string): unknown }).toJSON(key);
    }
    let item: string;
    switch (typeof v) {
      case "string":
        item = stringText(v);
        break;
      case "number":
        item = Number.isFinite(v) ? String(v) : "null";
        break;
      case "boolean":
        item = v ? "true" : "false";
        break;
      case "undefined":
      case "function":
      case "symbol":
        continue;
      default:
        if (v !== null) return undefined; // an object from toJSON, a bigint: JSON.stringify decides
        item = "null";
    }
    if (lastKeys[written] !== key) {
      lastKeys[written] = key;
      lastPrefixes[written] = `${written ? "," : "{"}${stringText(key)}:`;
    }
    text += lastPrefixes[written++] + item;
  }
  return written ? `${text}}` : "{}";
}
