// ASA's type mapping between SAQL values and JavaScript values
// (stream-analytics-javascript-user-defined-functions.md, "Stream Analytics and JavaScript type
// conversion"): bigint/float → Number, datetime → Date (milliseconds only), nvarchar(max) →
// String, record → Object, array → Array, NULL → null; back: a round Number in the long range →
// bigint else float, Date → datetime, Object → record, Array → array, null/undefined → NULL,
// anything else (a function, a symbol, …) → a runtime error.
// Values are built with the sandbox's own constructors so that `instanceof Date` and friends
// work inside the function.
import { DateTimeValue, isRecord, type RecordValue, type Value } from "../../values";

/** Constructors from inside the sandbox realm. */
export interface RealmFactories {
  date(ms: number): object;
  array(): unknown[];
  object(): Record<string, unknown>;
  isDate(value: unknown): boolean;
}

export function toJavaScript(value: Value, realm: RealmFactories): unknown {
  if (value === null) return null;
  if (value instanceof DateTimeValue) return realm.date(value.ms);
  if (Array.isArray(value)) {
    const out = realm.array();
    for (const item of value) out.push(toJavaScript(item, realm));
    return out;
  }
  if (isRecord(value)) {
    const out = realm.object();
    for (const key of Object.keys(value)) out[key] = toJavaScript(value[key], realm);
    return out;
  }
  return value;
}

/** An object literal (of either realm): its prototype is Object.prototype or null. */
function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** Thrown for a JavaScript value ASA cannot map back; the caller names the function. */
export class UnmappableValueError extends Error {}

export function fromJavaScript(value: unknown, realm: RealmFactories, path = "result"): Value {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case "number":
      return Number.isNaN(value) ? null : value;
    case "string":
    case "boolean":
      return value;
    case "object": {
      if (realm.isDate(value) || value instanceof Date) {
        const ms = (value as Date).getTime();
        if (Number.isNaN(ms)) throw new UnmappableValueError(`${path} is an invalid Date`);
        return new DateTimeValue(ms);
      }
      if (Array.isArray(value)) return value.map((item, i) => fromJavaScript(item, realm, `${path}[${i}]`));
      if (!isPlainObject(value)) {
        const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? "object";
        throw new UnmappableValueError(`${path} is a JavaScript ${kind}, which has no Stream Analytics type`);
      }
      const out: RecordValue = {};
      for (const key of Object.keys(value as object)) {
        out[key] = fromJavaScript((value as Record<string, unknown>)[key], realm, `${path}.${key}`);
      }
      return out;
    }
    default:
      throw new UnmappableValueError(`${path} is a JavaScript ${typeof value}, which has no Stream Analytics type`);
  }
}
