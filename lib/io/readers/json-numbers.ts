// JSON.parse reads every number as a double, so an integer beyond ±2^53 silently changes
// value (ASA's bigint is 64-bit). Lines with a long digit run are checked; an integer the
// local engine cannot hold exactly stops the run with its location rather than a wrong answer.

/** A run of 16+ digits: the only way to write an integer at or beyond 2^53 without an exponent. */
const LONG_DIGITS = /\d{16,}/;

export class UnsafeIntegerError extends Error {
  /** The line of the event holding the integer, set where the line is known. */
  line?: number;
}

function check(_key: string, value: unknown): unknown {
  if (typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)) {
    throw new UnsafeIntegerError(`the integer ${value} is beyond ±2^53 and cannot be represented exactly`);
  }
  return value;
}

/** JSON.parse that refuses integers it would round (a JSON syntax error still throws SyntaxError). */
export function parseJsonExact(text: string): unknown {
  const value = JSON.parse(text);
  if (LONG_DIGITS.test(text)) JSON.parse(text, check);
  return value;
}
