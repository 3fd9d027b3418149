// MATCH_RECOGNIZE's PATTERN ( … ) body: a small regular-expression grammar over pattern
// variables. The reference (match-recognize-stream-analytics.md, "Syntax") gives:
//   pattern_group ::= pattern_name_modifier [ | pattern_group ]*
//   pattern_name_modifier ::= pattern_atom [ pattern_atom ]*
//   pattern_atom ::= [ pattern_name | ( pattern_group ) ] [ * | + | ? ]
//   pattern_name ::= name | .
// The query-patterns article also writes a counted quantifier (`Warning{2,}`), so `{n}`, `{n,}`
// and `{n,m}` are read too. The body is read from the raw text, not from the query's tokens,
// because the query lexer has no `{` `}` tokens.
import type { Identifier, RowPattern, Span } from "../ast";
import type { LineMap } from "./lexer";

export interface RowPatternDiagnostic {
  span: Span;
  message: string;
}

/** Largest count a `{n,m}` quantifier may give: each repetition becomes states of the matcher. */
export const MAX_PATTERN_REPEAT = 100;

/** Parses the text between `start` and `end` (offsets into the whole query). */
export function parseRowPattern(text: string, start: number, end: number, lines: LineMap): { tree?: RowPattern; error?: RowPatternDiagnostic } {
  return new RowPatternParser(text, start, end, lines).run();
}

class PatternError extends Error {
  constructor(readonly at: number, readonly until: number, message: string) {
    super(message);
  }
}

class RowPatternParser {
  private pos: number;

  constructor(
    private readonly text: string,
    start: number,
    private readonly end: number,
    private readonly lines: LineMap,
  ) {
    this.pos = start;
  }

  run(): { tree?: RowPattern; error?: RowPatternDiagnostic } {
    try {
      this.skipSpace();
      if (this.pos >= this.end) throw new PatternError(this.pos, this.pos, "PATTERN ( … ) is empty: write the sequence of pattern variables to match, e.g. PATTERN (A+ B)");
      const tree = this.group();
      this.skipSpace();
      if (this.pos < this.end) throw new PatternError(this.pos, this.pos + 1, `unexpected '${this.text[this.pos]}' in PATTERN`);
      return { tree };
    } catch (e) {
      if (!(e instanceof PatternError)) throw e;
      const until = Math.max(e.until, e.at + 1);
      return { error: { span: this.lines.span(e.at, Math.min(until, Math.max(this.end, e.at + 1))), message: `syntax error in PATTERN: ${e.message}` } };
    }
  }

  private skipSpace(): void {
    while (this.pos < this.end && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  private peek(): string | undefined {
    this.skipSpace();
    return this.pos < this.end ? this.text[this.pos] : undefined;
  }

  private span(from: number): Span {
    return this.lines.span(from, this.pos);
  }

  private group(): RowPattern {
    const from = this.pos;
    const options = [this.sequence()];
    while (this.peek() === "|") {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: "PatternAlternation", options, span: this.span(from) };
  }

  private sequence(): RowPattern {
    this.skipSpace();
    const from = this.pos;
    const items: RowPattern[] = [];
    for (let c = this.peek(); c !== undefined && c !== "|" && c !== ")"; c = this.peek()) items.push(this.atom());
    if (!items.length) throw new PatternError(this.pos, this.pos + 1, "expected a pattern variable or '(' here");
    return items.length === 1 ? items[0]! : { kind: "PatternSequence", items, span: this.span(from) };
  }

  private atom(): RowPattern {
    const from = this.pos;
    const c = this.text[this.pos]!;
    let body: RowPattern;
    if (c === "(") {
      this.pos++;
      body = this.group();
      if (this.peek() !== ")") throw new PatternError(this.pos, this.pos + 1, "expected ')' to close the group");
      this.pos++;
    } else if (c === ".") {
      this.pos++;
      body = { kind: "PatternAny", span: this.span(from) };
    } else if (/[A-Za-z_]/.test(c)) {
      while (this.pos < this.end && /[A-Za-z0-9_]/.test(this.text[this.pos]!)) this.pos++;
      body = { kind: "PatternVariable", name: this.identifier(from, this.text.slice(from, this.pos), false), span: this.span(from) };
    } else if (c === "[") {
      const close = this.text.indexOf("]", this.pos);
      if (close < 0 || close >= this.end) throw new PatternError(this.pos, this.pos + 1, "expected ']' to close the name");
      this.pos = close + 1;
      body = { kind: "PatternVariable", name: this.identifier(from, this.text.slice(from + 1, close), true), span: this.span(from) };
    } else {
      throw new PatternError(this.pos, this.pos + 1, `unexpected '${c}': expected a pattern variable, '.' or '('`);
    }
    return this.quantifiers(body, from);
  }

  private identifier(from: number, name: string, quoted: boolean): Identifier {
    return { kind: "Identifier", name, quoted, span: this.span(from) };
  }

  private quantifiers(body: RowPattern, from: number): RowPattern {
    // One quantifier per atom, as the grammar has it; `A+*` or a reluctant `A+?` is an error.
    const c = this.peek();
    let min: number;
    let max: number | undefined;
    if (c === "*" || c === "+" || c === "?") {
      this.pos++;
      [min, max] = c === "*" ? [0, undefined] : c === "+" ? [1, undefined] : [0, 1];
    } else if (c === "{") {
      [min, max] = this.counted();
    } else {
      return body;
    }
    const next = this.peek();
    if (next === "*" || next === "+" || next === "?" || next === "{") {
      throw new PatternError(this.pos, this.pos + 1, `'${next}' cannot follow another quantifier: group the part first, e.g. (A+)${next}`);
    }
    return { kind: "PatternQuantified", body, min, max, span: this.span(from) };
  }

  private counted(): [number, number | undefined] {
    const open = this.pos;
    const close = this.text.indexOf("}", open);
    if (close < 0 || close >= this.end) throw new PatternError(open, open + 1, "expected '}' to close the count");
    const inside = this.text.slice(open + 1, close).replace(/\s+/g, "");
    const m = /^(\d+)(,(\d*))?$/.exec(inside);
    if (!m) throw new PatternError(open, close + 1, `'{${inside}}' is not a count: write {n}, {n,} or {n,m}`);
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === "" ? undefined : Number(m[3]);
    if (max !== undefined && max < min) throw new PatternError(open, close + 1, `{${inside}}: the upper bound is below the lower bound`);
    if (Math.max(min, max ?? 0) > MAX_PATTERN_REPEAT) throw new PatternError(open, close + 1, `{${inside}}: counts above ${MAX_PATTERN_REPEAT} are not supported`);
    if (max === 0) throw new PatternError(open, close + 1, `{${inside}} matches nothing`);
    this.pos = close + 1;
    return [min, max];
  }
}

/** Every variable a pattern names, in order of appearance (with repeats). */
export function patternVariables(tree: RowPattern): Identifier[] {
  switch (tree.kind) {
    case "PatternVariable":
      return [tree.name];
    case "PatternAny":
      return [];
    case "PatternSequence":
      return tree.items.flatMap(patternVariables);
    case "PatternAlternation":
      return tree.options.flatMap(patternVariables);
    case "PatternQuantified":
      return patternVariables(tree.body);
  }
}
