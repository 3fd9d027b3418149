// JSON text of any depth. JSON.parse accepts nesting thousands of levels deep, but JSON.stringify
// (and any recursive walk) runs out of stack on it: such a value is written by an explicit-stack
// walk instead, so an event the reader accepted is never lost at the writer.

/** `JSON.stringify(value)`, also for values nested deeper than the call stack allows. */
export function jsonText(value: unknown): string {
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
