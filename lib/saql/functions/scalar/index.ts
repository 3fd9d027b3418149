// Every scalar built-in of SAQL, by lower-case name, and the table-valued helpers for CROSS APPLY.
import type { ScalarFunction, TableFunction } from "../context";

export const SCALAR_FUNCTIONS: Record<string, ScalarFunction> = {};

export const TABLE_FUNCTIONS: Record<string, TableFunction> = {};
