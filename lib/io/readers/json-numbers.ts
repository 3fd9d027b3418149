// JSON.parse reads every number as a double, so an integer beyond ±2^53 silently changes
// value (ASA's bigint is 64-bit). Text with a long digit run is checked; an integer the local
// engine cannot hold exactly stops the run with its location rather than a wrong answer. Text
// with a long digit run but no such integer (a double written with all its 17 digits, a long
// number in a string) keeps the fast paths: only its parsed values are walked.

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

/** hasLongDigitRun over UTF-8 bytes: a digit is one byte there, and no byte of a longer character is one. */
export function hasLongDigitRunInBytes(bytes: Uint8Array, start = 0, end = bytes.length): boolean {
  let p = start + LONG_RUN - 1;
  while (p < end) {
    if (!isDigit(bytes[p])) {
      p += LONG_RUN;
      continue;
    }
    let a = p;
    while (a > start && isDigit(bytes[a - 1])) a--;
    let b = p + 1;
    while (b < end && isDigit(bytes[b])) b++;
    if (b - a >= LONG_RUN) return true;
    p = b + LONG_RUN;
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

/**
 * The first integer of a parsed JSON value that is beyond ±2^53 (an integer-valued double, as
 * `1e20` is too), in the order JSON.parse's reviver would meet it; undefined when there is none.
 * A walk in JavaScript: a reviver is called back from the parser for every value (measured 4×
 * slower on lines of 20 fields).
 */
export function unsafeIntegerIn(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && !Number.isSafeInteger(value) ? value : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = unsafeIntegerIn(value[i]);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const key in value) {
    const found = unsafeIntegerIn((value as Record<string, unknown>)[key]);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** JSON.parse that refuses integers it would round (a JSON syntax error still throws SyntaxError). */
export function parseJsonExact(text: string): unknown {
  const value = JSON.parse(text);
  const unsafe = hasLongDigitRun(text) ? unsafeIntegerIn(value) : undefined;
  if (unsafe !== undefined) throw new UnsafeIntegerError(`the integer ${unsafe} is beyond ±2^53 and cannot be represented exactly`);
  return value;
}

/**
 * Whether parsed values may be kept as they are: JSON.parse rounded no integer of theirs. Text
 * without a 16-digit run holds none (the shortest such integer written without an exponent has
 * 16 digits); otherwise the values are walked. A value with one is to be read on its own, where
 * parseJsonExact reports it (and where an integer-valued exponent such as 1e20 passes, as before,
 * when its line has no 16-digit run).
 */
export function integersExact(values: unknown[], text: string, start = 0, end = text.length): boolean {
  if (!hasLongDigitRun(text, start, end)) return true;
  try {
    for (let i = 0; i < values.length; i++) if (unsafeIntegerIn(values[i]) !== undefined) return false;
  } catch (error) {
    if (error instanceof RangeError) return false; // nested deeper than the walk can go: read on its own
    throw error;
  }
  return true;
}
