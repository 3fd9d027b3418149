// Every scalar built-in of SAQL, by lower-case name, and the table-valued helpers for CROSS APPLY.
import type { ScalarFunction, TableFunction } from "../context";
import { STRING_FUNCTIONS } from "./string";
import { MATH_FUNCTIONS } from "./math";
import { DATETIME_FUNCTIONS } from "./datetime";
import { RECORD_FUNCTIONS, TABLE_VALUED_FUNCTIONS } from "./record";
import { MISC_FUNCTIONS } from "./misc";
import { GEO_FUNCTIONS } from "../geo";

export const SCALAR_FUNCTIONS: Record<string, ScalarFunction> = {
  ...STRING_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...RECORD_FUNCTIONS,
  ...MISC_FUNCTIONS,
  ...GEO_FUNCTIONS,
};

export const TABLE_FUNCTIONS: Record<string, TableFunction> = { ...TABLE_VALUED_FUNCTIONS };
