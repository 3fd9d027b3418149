// Numbers as text, the way ASA (a .NET engine) writes them in CAST(x AS nvarchar(max)) and
// string concatenation: bigint in plain digits; float in the shortest round-trip form, with
// .NET's switch to scientific notation (`1E+20`, `1E-05`) for exponents ≥ 15 or ≤ -5 (.NET "G": fixed notation only when -5 < exponent < 15).

export function formatBigint(value: number): string {
  return BigInt(Math.trunc(value)).toString();
}

export function formatFloat(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value === 0) return Object.is(value, -0) ? "-0" : "0";
  // JS's own exponential form gives the exact decimal exponent and the shortest digits.
  const [mantissa, exp] = value.toExponential().split("e");
  const e = Number(exp);
  if (e >= 15 || e < -4) {
    const sign = e < 0 ? "-" : "+";
    const digits = String(Math.abs(e)).padStart(2, "0");
    return `${mantissa.toUpperCase()}E${sign}${digits}`;
  }
  return String(value);
}

/** Strict decimal integer text (optional sign, surrounding spaces). */
const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
/** Decimal or scientific float text, as invariant-culture .NET parsing accepts it. */
const FLOAT_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

export function isIntegerText(text: string): boolean {
  return INTEGER_TEXT.test(text);
}

export function isFloatText(text: string): boolean {
  return FLOAT_TEXT.test(text);
}
