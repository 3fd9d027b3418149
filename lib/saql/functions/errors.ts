// Errors raised while evaluating SAQL functions on an event. The engine adds the event's
// location (`file:line`) and the query location (`file:line:col`) when it reports them.
import { StreamkitError } from "../../core/errors";
import type { Value } from "../values";
import { describeValue } from "./describe";

/**
 * A conversion ASA cannot make, where ASA fails the event (CAST, implicit conversions in
 * arithmetic and comparisons). TRY_CAST turns the same failure into NULL.
 */
export class ConversionError extends StreamkitError {
  constructor(
    readonly value: Value,
    readonly targetType: string,
    detail?: string,
  ) {
    super(`cannot convert ${describeValue(value)} to ${targetType}${detail ? `: ${detail}` : ""}`, undefined, "CONVERSION");
    this.name = "ConversionError";
  }
}

/** A function called with arguments it cannot take (wrong count or types), at run time. */
export class FunctionArgumentError extends StreamkitError {
  constructor(
    readonly functionName: string,
    detail: string,
  ) {
    super(`${functionName}: ${detail}`, undefined, "FUNCTION_ARGUMENT");
    this.name = "FunctionArgumentError";
  }
}

/** A JavaScript user-defined function or aggregate that threw, timed out or returned an unmappable value. */
export class UdfError extends StreamkitError {
  constructor(
    readonly functionName: string,
    detail: string,
  ) {
    super(`JavaScript function '${functionName}' failed: ${detail}`, undefined, "UDF");
    this.name = "UdfError";
  }
}

/** Arithmetic ASA refuses on an event: division by zero, bigint overflow, operands of the wrong type. */
export class ArithmeticError extends StreamkitError {
  constructor(detail: string) {
    super(detail, undefined, "ARITHMETIC");
    this.name = "ArithmeticError";
  }
}
