// Record and array functions. Reference: "Record Functions" (GetRecordProperties,
// GetRecordPropertyValue) and "Array Functions" (GetArrayElement, GetArrayElements,
// GetArrayLength). GetRecordProperties and GetArrayElements are table-valued: they are used
// with CROSS APPLY / OUTER APPLY and give rows {PropertyName, PropertyValue} /
// {ArrayIndex, ArrayValue}.
import { getField, isRecord, type RecordValue, type Value } from "../../values";
import type { ScalarFunction, TableFunction } from "../context";
import { FunctionArgumentError } from "../errors";
import { describeValue } from "../describe";
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
  /** GetRecordPropertyValue(record, name): NULL when the record is NULL (or not a record) or lacks the property. */
  getrecordpropertyvalue: (args) => {
    arity("GetRecordPropertyValue", args, 2);
    const [record, name] = args;
    if (record === null || name === null || !isRecord(record)) return null;
    return recordProperty(record, textArg("GetRecordPropertyValue", name, 2));
  },

  /** GetArrayElement(array, index): 0-based; NULL outside the array or for a non-array. */
  getarrayelement: (args) => {
    arity("GetArrayElement", args, 2);
    const [array, index] = args;
    if (array === null || index === null || !Array.isArray(array)) return null;
    const i = integerArg("GetArrayElement", index, 2);
    return i >= 0 && i < array.length ? array[i] : null;
  },

  /** GetArrayLength(array): the number of elements; NULL for NULL. */
  getarraylength: (args) => {
    arity("GetArrayLength", args, 1);
    const [array] = args;
    if (array === null) return null;
    if (!Array.isArray(array)) throw new FunctionArgumentError("GetArrayLength", `expects an array, got ${describeValue(array)}`);
    return array.length;
  },
};

export const TABLE_VALUED_FUNCTIONS: Record<string, TableFunction> = {
  /** One row per array element, in order: {ArrayIndex (0-based), ArrayValue}. NULL or a non-array gives no rows. */
  getarrayelements: (args) => {
    arity("GetArrayElements", args, 1);
    const [array] = args;
    if (!Array.isArray(array)) return [];
    return array.map((value, index) => ({ ArrayIndex: index, ArrayValue: value }));
  },

  /** One row per property, in the record's order: {PropertyName, PropertyValue}. NULL or a non-record gives no rows. */
  getrecordproperties: (args) => {
    arity("GetRecordProperties", args, 1);
    const [record] = args;
    if (!isRecord(record)) return [];
    return Object.keys(record).map((key) => ({ PropertyName: key, PropertyValue: record[key] }));
  },
};
