// JSON.parse reads every number as a double, so an integer beyond ±2^53 silently changes
// value (ASA's bigint is 64-bit). Text with a long digit run is checked; an integer the local
// engine cannot hold exactly stops the run with its location rather than a wrong answer.

/** 16 digits: the shortest way to write an integer at or beyond 2^53 without an exponent. */
const LONG_RUN = 16;

/**
 * Whether text[start, end) holds a run of 16 or more ASCII digits. Reads about one character in
 * sixteen on ordinary event text: any such run covers the character 15 places ahead, so when
 * that one is not a digit the scan jumps past it (a regular expression reads every character).
 */
export function hasLongDigitRun(text: string, start = 0, end = text.length): boolean {
  let p = start + LONG_RUN - 1;
  while (p < end) {
    if (!isDigit(text.charCodeAt(p))) {
      p += LONG_RUN;
      continue;
    }
    let a = p;
    while (a > start && isDigit(text.charCodeAt(a - 1))) a--;
    let b = p + 1;
    while (b < end && isDigit(text.charCodeAt(b))) b++;
    if (b - a >= LONG_RUN) return true;
    p = b + LONG_RUN; // the next run starts after b, so it covers b + 16 or ends before
  }
  return false;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

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
  if (hasLongDigitRun(text)) JSON.parse(text, check);
  return value;
}
