// String functions. Reference: "String Functions (Azure Stream Analytics)": CHARINDEX, CONCAT,
// CONCAT_WS, LEFT, LEN, LOWER, LTRIM, NCHAR, PATINDEX, REGEXMATCH, REPLACE, REPLICATE,
// REVERSE, RIGHT, RTRIM, SPACE, STUFF, SUBSTRING, TRANSLATE, TRIM, UNICODE, UPPER.
// Positions are 1-based and count UTF-16 code units, as .NET (and so ASA) strings do.
// Where a page is silent, T-SQL's definition of the same function decides.
import type { Value } from "../../values";
import type { ScalarFunction } from "../context";
import { FunctionArgumentError } from "../errors";
import { toText } from "../cast";
import { likePatternToRegExp } from "../operators";
import { arity, integerArg, strict, textArg } from "./args";

/**
 * LTRIM/RTRIM/TRIM remove .NET white space (unlike T-SQL, which removes only U+0020): the
 * Unicode space, line and paragraph separators plus U+0009–U+000D and U+0085 (TRIM page).
 */
const WHITE_SPACE = "\\u0009-\\u000D\\u0020\\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
const LEADING_WHITE_SPACE = new RegExp(`^[${WHITE_SPACE}]+`);
const TRAILING_WHITE_SPACE = new RegExp(`[${WHITE_SPACE}]+$`);
const trimStart = (s: string) => s.replace(LEADING_WHITE_SPACE, "");
const trimEnd = (s: string) => s.replace(TRAILING_WHITE_SPACE, "");
/** LEN excludes "trailing blanks": spaces only, as in T-SQL. */
const trimTrailingBlanks = (s: string) => s.replace(/ +$/, "");

/** CONCAT's operands: NULL is an empty string; other types take their text form. */
function concatText(value: Value): string {
  return value === null ? "" : toText(value);
}

const regexCache = new Map<string, RegExp | null>();

function compileRegex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      // "single-line, case-insensitive, ECMAScript compatible" (REGEXMATCH page).
      re = new RegExp(pattern, "i");
    } catch {
      re = null;
    }
    if (regexCache.size > 1000) regexCache.clear();
    regexCache.set(pattern, re);
  }
  return re;
}

export const STRING_FUNCTIONS: Record<string, ScalarFunction> = {
  /** CHARINDEX(find, search [, start]): 1-based position of `find` in `search` from `start`, or 0. */
  charindex: (args) => {
    arity("CHARINDEX", args, 2, 3);
    if (args.some((a) => a === null)) return null;
    const find = textArg("CHARINDEX", args[0], 1);
    const search = textArg("CHARINDEX", args[1], 2);
    const start = args.length === 3 ? Math.max(integerArg("CHARINDEX", args[2], 3), 1) : 1;
    if (find === "") return 0;
    return search.indexOf(find, start - 1) + 1;
  },

  /** CONCAT(a, b, …): NULLs count as empty strings; needs at least two arguments. */
  concat: (args) => {
    arity("CONCAT", args, 2, Infinity);
    return args.map(concatText).join("");
  },

  /** CONCAT_WS(separator, a, b, …): joins the non-NULL arguments with the separator. */
  concat_ws: (args) => {
    arity("CONCAT_WS", args, 3, Infinity);
    const separator = concatText(args[0]);
    return args.slice(1).filter((a) => a !== null).map(concatText).join(separator);
  },

  left: strict("LEFT", 2, 2, (args) => {
    const text = textArg("LEFT", args[0], 1);
    const n = integerArg("LEFT", args[1], 2);
    if (n < 0) throw new FunctionArgumentError("LEFT", `length must not be negative, got ${n}`);
    return text.slice(0, n);
  }),

  right: strict("RIGHT", 2, 2, (args) => {
    const text = textArg("RIGHT", args[0], 1);
    const n = integerArg("RIGHT", args[1], 2);
    if (n < 0) throw new FunctionArgumentError("RIGHT", `length must not be negative, got ${n}`);
    return n === 0 ? "" : text.slice(-n);
  }),

  /** LEN: characters, "excluding trailing blanks" (LEN page). */
  len: strict("LEN", 1, 1, (args) => {
    return trimTrailingBlanks(textArg("LEN", args[0], 1)).length;
  }),

  lower: strict("LOWER", 1, 1, (args) => {
    return textArg("LOWER", args[0], 1).toLowerCase();
  }),

  upper: strict("UPPER", 1, 1, (args) => {
    return textArg("UPPER", args[0], 1).toUpperCase();
  }),

  ltrim: strict("LTRIM", 1, 1, (args) => {
    return trimStart(textArg("LTRIM", args[0], 1));
  }),

  rtrim: strict("RTRIM", 1, 1, (args) => {
    return trimEnd(textArg("RTRIM", args[0], 1));
  }),

  trim: strict("TRIM", 1, 1, (args) => {
    return trimEnd(trimStart(textArg("TRIM", args[0], 1)));
  }),

  /** NCHAR(code): the character with that Unicode code point; NULL outside 0 … 0x10FFFF (T-SQL). */
  nchar: strict("NCHAR", 1, 1, (args) => {
    const code = integerArg("NCHAR", args[0], 1);
    if (code < 0 || code > 0x10ffff) return null;
    return String.fromCodePoint(code);
  }),

  /** UNICODE(text): the code point of the first character; NULL for an empty string (T-SQL). */
  unicode: strict("UNICODE", 1, 1, (args) => {
    const text = textArg("UNICODE", args[0], 1);
    return text === "" ? null : text.codePointAt(0)!;
  }),

  /** PATINDEX('%pattern%', text): 1-based start of the first match of a LIKE pattern, or 0. */
  patindex: strict("PATINDEX", 2, 2, (args) => {
    const pattern = textArg("PATINDEX", args[0], 1);
    const text = textArg("PATINDEX", args[1], 2);
    // The whole pattern must match from the returned position to the end of the text (LIKE
    // semantics); a leading % lets that position move, so try each start after stripping it.
    const floating = pattern.startsWith("%");
    if (floating && /^%+$/.test(pattern)) return 1;
    const regex = likePatternToRegExp(floating ? pattern.replace(/^%+/, "") : pattern);
    const lastStart = floating ? text.length : 0;
    for (let i = 0; i <= lastStart; i++) if (regex.test(text.slice(i))) return i + 1;
    return 0;
  }),

  /** REGEXMATCH(text, pattern): 1-based start of the first match, 0 if none or if the pattern is invalid. */
  regexmatch: strict("REGEXMATCH", 2, 2, (args) => {
    const text = textArg("REGEXMATCH", args[0], 1);
    const regex = compileRegex(textArg("REGEXMATCH", args[1], 2));
    if (!regex) return 0;
    const match = regex.exec(text);
    return match ? match.index + 1 : 0;
  }),

  /** REPLACE(text, pattern, replacement): every occurrence; an empty pattern changes nothing. */
  replace: strict("REPLACE", 3, 3, (args) => {
    const text = textArg("REPLACE", args[0], 1);
    const pattern = textArg("REPLACE", args[1], 2);
    const replacement = textArg("REPLACE", args[2], 3);
    return pattern === "" ? text : text.split(pattern).join(replacement);
  }),

  /** REPLICATE(text, n): NULL for a negative count (T-SQL). */
  replicate: strict("REPLICATE", 2, 2, (args) => {
    const text = textArg("REPLICATE", args[0], 1);
    const n = integerArg("REPLICATE", args[1], 2);
    return n < 0 ? null : text.repeat(n);
  }),

  /** REVERSE: reverses the characters, keeping surrogate pairs together. */
  reverse: strict("REVERSE", 1, 1, (args) => {
    return Array.from(textArg("REVERSE", args[0], 1)).reverse().join("");
  }),

  /** SPACE(n): n spaces; NULL for a negative count (T-SQL). */
  space: strict("SPACE", 1, 1, (args) => {
    const n = integerArg("SPACE", args[0], 1);
    return n < 0 ? null : " ".repeat(n);
  }),

  /**
   * STUFF(text, start, length, insert): deletes `length` characters at `start` and inserts there
   * (STUFF page): start < 1 acts as 1; start beyond the text gives an empty string; a negative
   * length is an error; a length past the end deletes the rest. NULL if any argument is NULL.
   */
  stuff: strict("STUFF", 4, 4, (args) => {
    const text = textArg("STUFF", args[0], 1);
    const start = Math.max(integerArg("STUFF", args[1], 2), 1);
    const length = integerArg("STUFF", args[2], 3);
    const insert = textArg("STUFF", args[3], 4);
    if (length < 0) throw new FunctionArgumentError("STUFF", `length must not be negative, got ${length}`);
    if (start > text.length) return "";
    return text.slice(0, start - 1) + insert + text.slice(start - 1 + length);
  }),

  /**
   * SUBSTRING(text, start, length), 1-based. start < 1 returns max(start + length - 1, 0)
   * characters from the first; a negative length is an error (SUBSTRING page).
   */
  substring: strict("SUBSTRING", 3, 3, (args) => {
    const text = textArg("SUBSTRING", args[0], 1);
    const start = integerArg("SUBSTRING", args[1], 2);
    const length = integerArg("SUBSTRING", args[2], 3);
    if (length < 0) throw new FunctionArgumentError("SUBSTRING", `length must not be negative, got ${length}`);
    const end = start + length - 1; // last 1-based position included
    if (end < 1) return "";
    return text.slice(Math.max(start, 1) - 1, end);
  }),

  /** TRANSLATE(text, characters, translations): character-by-character replacement; the two lists must be the same length. */
  translate: strict("TRANSLATE", 3, 3, (args) => {
    const text = textArg("TRANSLATE", args[0], 1);
    const from = Array.from(textArg("TRANSLATE", args[1], 2));
    const to = Array.from(textArg("TRANSLATE", args[2], 3));
    if (from.length !== to.length) {
      throw new FunctionArgumentError("TRANSLATE", "the second and third arguments must contain the same number of characters");
    }
    const map = new Map<string, string>();
    from.forEach((c, i) => {
      if (!map.has(c)) map.set(c, to[i]);
    });
    return Array.from(text).map((c) => map.get(c) ?? c).join("");
  }),
};
