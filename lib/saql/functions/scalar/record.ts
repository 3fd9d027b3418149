// Record and array functions. Reference: "Record Functions" (GetRecordProperties,
// GetRecordPropertyValue) and "Array Functions" (GetArrayElement, GetArrayElements,
// GetArrayLength). GetRecordProperties and GetArrayElements are table-valued: they are used
// with CROSS APPLY / OUTER APPLY and give rows {PropertyName, PropertyValue} /
// {ArrayIndex, ArrayValue}.
import { getField, isRecord, type RecordValue, type Value } from "../../values";
import type { ScalarFunction, TableFunction } from "../context";
import { ConversionError } from "../errors";
import { arity, integerArg, textArg } from "./args";
import { parseMetadataPath } from "./misc";

/**
 * A property name as GetRecordPropertyValue takes it: plain (`SensorName`), or escaped in
 * square brackets, where the page's `"[my][Field]"` names the nested field Field of my and
 * `[my.field]` one field with a dot in its name. Case-insensitive, an exact match first.
 */
export function recordProperty(record: RecordValue, name: string): Value {
  const direct = getField(record, name);
  if (direct !== null || !/^\[.*\]$/.test(name)) return direct;
  let current: Value = record;
  for (const part of parseMetadataPath(name)) {
    if (!isRecord(current)) return null;
    current = getField(current, part);
  }
  return current;
}

export const RECORD_FUNCTIONS: Record<string, ScalarFunction> = {
  /** GetRecordPropertyValue(record, name): NULL when the record is NULL or lacks the property. */
  getrecordpropertyvalue: (args) => {
    arity("GetRecordPropertyValue", args, 2);
    const [record, name] = args;
    if (record === null || name === null) return null;
    return recordProperty(asRecord(record), textArg("GetRecordPropertyValue", name, 2));
  },

  /** GetArrayElement(array, index): 0-based; NULL outside the array. */
  getarrayelement: (args) => {
    arity("GetArrayElement", args, 2);
    const [array, index] = args;
    if (array === null || index === null) return null;
    const list = asArray(array);
    const i = integerArg("GetArrayElement", index, 2);
    return i >= 0 && i < list.length ? list[i] : null;
  },

  /** GetArrayLength(array): the number of elements; NULL for NULL. */
  getarraylength: (args) => {
    arity("GetArrayLength", args, 1);
    const [array] = args;
    return array === null ? null : asArray(array).length;
  },
};

// Array and record arguments are cast implicitly, and a value of another type fails the event:
// input-validation.md shows GetArrayElements on a record failing with "Cannot cast value of type
// 'record' to type 'array' … TRY_CAST function can be used to handle values with unexpected type".
function asArray(value: Exclude<Value, null>): Value[] {
  if (Array.isArray(value)) return value;
  throw new ConversionError(value, "array", "use TRY_CAST to handle values of an unexpected type");
}

function asRecord(value: Exclude<Value, null>): RecordValue {
  if (isRecord(value)) return value;
  throw new ConversionError(value, "record", "use TRY_CAST to handle values of an unexpected type");
}

export const TABLE_VALUED_FUNCTIONS: Record<string, TableFunction> = {
  /** One row per array element, in order: {ArrayIndex (0-based), ArrayValue}. NULL gives no rows; a non-array fails. */
  getarrayelements: (args) => {
    arity("GetArrayElements", args, 1);
    const [array] = args;
    if (array === null) return [];
    return asArray(array).map((value, index) => ({ ArrayIndex: index, ArrayValue: value }));
  },

  /** One row per property, in the record's order: {PropertyName, PropertyValue}. NULL gives no rows; a non-record fails. */
  getrecordproperties: (args) => {
    arity("GetRecordProperties", args, 1);
    const [record] = args;
    if (record === null) return [];
    const fields = asRecord(record);
    return Object.keys(fields).map((key) => ({ PropertyName: key, PropertyValue: fields[key] }));
  },
};
