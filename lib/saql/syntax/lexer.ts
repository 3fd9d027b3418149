// The SAQL lexer: text → tokens with 1-based line/column spans. It never throws: a
// character it cannot read becomes a diagnostic and is skipped, so the parser still sees
// the rest of the query.
import type { Span } from "../ast";
import { diagnosticAt, type Diagnostic } from "../check/diagnostics";

export type TokenType =
  /** A bare word: keyword or name (the parser decides, case-insensitively). */
  | "ident"
  /** `[bracketed]` or `"quoted"` name; `value` holds the name without delimiters. */
  | "qident"
  | "string"
  | "number"
  /** Operators and punctuation: `( ) , . ; * + - / % = != <> < > <= >= & | ^ ~ [ ]`. */
  | "op"
  | "eof";

export interface Token {
  type: TokenType;
  /** The name (without brackets), the string's value (escapes resolved), the number's text, the operator. */
  value: string;
  /** Lower-cased `value` for bare words, to compare with keywords. */
  lower: string;
  span: Span;
  /** Whitespace or a comment came right before this token. */
  spaced: boolean;
}

export interface LexResult {
  tokens: Token[];
  diagnostics: Diagnostic[];
}

const TWO_CHAR_OPS = new Set(["!=", "<>", "<=", ">=", "==", "||"]);
const ONE_CHAR_OPS = new Set(["?", "(", ")", ",", ".", ";", "*", "+", "-", "/", "%", "=", "<", ">", "&", "|", "^", "~", "[", "]", ":"]);

function isIdentStart(c: string): boolean {
  return /[A-Za-z_@#$]/.test(c) || c > "\u007f";
}
function isIdentPart(c: string): boolean {
  return /[A-Za-z0-9_@#$]/.test(c) || c > "\u007f";
}
function isDigit(c: string): boolean {
  return c >= "0" && c <= "9";
}

/** Line starts of a text, to turn offsets into line/column. */
export class LineMap {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }
  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
  /** The span of `[start, end)`; an empty range points at its start. */
  span(start: number, end: number): Span {
    const s = this.position(start);
    const e = this.position(Math.max(start, end - 1));
    return { startLine: s.line, startColumn: s.column, endLine: e.line, endColumn: e.column, start, end };
  }
}

export function tokenize(text: string, lines = new LineMap(text)): LexResult {
  const tokens: Token[] = [];
  const diagnostics: Diagnostic[] = [];
  let i = 0;
  let spaced = true;
  // Open `[` of an array index (as opposed to a bracketed name): their `]` is an operator too.
  let indexDepth = 0;
  const push = (type: TokenType, value: string, start: number, end: number) => {
    tokens.push({ type, value, lower: type === "ident" ? value.toLowerCase() : value, span: lines.span(start, end), spaced });
    spaced = false;
  };
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    const start = i;
    if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === "\f" || c === "\v" || c === "\u00a0" || c === "\ufeff") {
      i++;
      spaced = true;
      continue;
    }
    if (c === "-" && text[i + 1] === "-") {
      while (i < n && text[i] !== "\n") i++;
      spaced = true;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) {
        diagnostics.push(diagnosticAt(lines.span(start, start + 2), "SYNTAX", "unterminated comment: '/*' has no matching '*/'"));
        i = n;
      } else i = close + 2;
      spaced = true;
      continue;
    }
    if (c === "'" || c === '"') {
      // '' inside a string (and "" inside a quoted name) is one quote: the T-SQL escape SAQL uses.
      const run = readQuoted(text, i);
      i = run.end;
      if (c === "'") {
        if (!run.closed) diagnostics.push(diagnosticAt(lines.span(start, start + 1), "SYNTAX", "unterminated string: add the closing quote (write '' for a quote inside a string)"));
        push("string", run.value, start, i);
      } else {
        if (!run.closed) diagnostics.push(diagnosticAt(lines.span(start, start + 1), "SYNTAX", 'unterminated quoted name: add the closing "'));
        push("qident", run.value, start, i);
      }
      continue;
    }
    if (c === "[") {
      // `arr[0]` (no space after a name or a closing bracket) is an array index; anything
      // else opens a bracketed name such as `[My Field]`.
      const prev = tokens[tokens.length - 1];
      const adjacent =
        prev !== undefined &&
        !spaced &&
        prev.span.end === i &&
        (prev.type === "ident" || prev.type === "qident" || (prev.type === "op" && (prev.value === ")" || prev.value === "]")));
      const close = text.indexOf("]", i + 1);
      const inner = close < 0 ? "" : text.slice(i + 1, close);
      if (adjacent && /^\s*[-+]?[\w.@]*\s*$/.test(inner) && /^\s*[-+]?\d+\s*$/.test(inner)) {
        indexDepth++;
        i++;
        push("op", "[", start, i);
        continue;
      }
      let value = "";
      i++;
      let closed = false;
      while (i < n) {
        const ch = text[i]!;
        if (ch === "]") {
          if (text[i + 1] === "]") {
            value += "]";
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        value += ch;
        i++;
      }
      if (!closed) diagnostics.push(diagnosticAt(lines.span(start, start + 1), "SYNTAX", "unterminated bracketed name: add the closing ']'"));
      push("qident", value, start, i);
      continue;
    }
    if (c === "]" && indexDepth > 0) {
      indexDepth--;
      i++;
      push("op", "]", start, i);
      continue;
    }
    if (isDigit(c) || (c === "." && isDigit(text[i + 1] ?? ""))) {
      while (i < n && isDigit(text[i]!)) i++;
      if (text[i] === "." && isDigit(text[i + 1] ?? "")) {
        i++;
        while (i < n && isDigit(text[i]!)) i++;
      } else if (text[i] === "." && !isIdentStart(text[i + 1] ?? "")) {
        i++; // `1.` is a float
      }
      if ((text[i] === "e" || text[i] === "E") && (isDigit(text[i + 1] ?? "") || ((text[i + 1] === "+" || text[i + 1] === "-") && isDigit(text[i + 2] ?? "")))) {
        i += 2;
        while (i < n && isDigit(text[i]!)) i++;
      }
      push("number", text.slice(start, i), start, i);
      continue;
    }
    if (isIdentStart(c)) {
      while (i < n && isIdentPart(text[i]!)) i++;
      push("ident", text.slice(start, i), start, i);
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      i += 2;
      push("op", two, start, i);
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      i++;
      push("op", c, start, i);
      continue;
    }
    // An unreadable character: report it once per run of such characters, then go on.
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    i += width;
    while (i < n && !/[\s\w'"\[\]().,;*+\-/%=<>&|^~!:?]/.test(text[i]!) && !isIdentStart(text[i]!)) i++;
    diagnostics.push(diagnosticAt(lines.span(start, i), "SYNTAX", `unexpected character '${text.slice(start, start + width)}'`));
    spaced = true;
  }
  tokens.push({ type: "eof", value: "", lower: "", span: lines.span(n, n), spaced: true });
  return { tokens, diagnostics };
}

/**
 * The quoted run opening at `open` (its quote character closes it; a doubled quote stands for one):
 * its value without delimiters, the index after it, and whether the closing quote was found.
 */
function readQuoted(text: string, open: number): { value: string; end: number; closed: boolean } {
  const quote = text[open]!;
  let value = "";
  let i = open + 1;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === quote) {
      if (text[i + 1] !== quote) return { value, end: i + 1, closed: true };
      value += quote;
      i += 2;
      continue;
    }
    value += ch;
    i++;
  }
  return { value, end: i, closed: false };
}
