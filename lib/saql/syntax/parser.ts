// The SAQL parser: tokens → the syntax tree of lib/saql/ast.ts, every node with its span.
// Recursive descent with error recovery: a syntax error is recorded and the parser skips to
// the next statement (`;`, or SELECT / WITH / CREATE at the top level) and goes on, so one
// run reports several errors. It never throws on any input.
import type * as A from "../ast";
import { diagnosticAt, type Diagnostic } from "../check/diagnostics";
import { LineMap, tokenize, type Token } from "./lexer";
import { parseRowPattern } from "./row-pattern";

export interface ParseResult {
  script?: A.Script;
  diagnostics: Diagnostic[];
}

/** Words that end an expression or a clause: never taken as an implicit alias or a bare column. */
const RESERVED = new Set([
  "select", "from", "where", "group", "having", "into", "as", "on", "join", "left", "right", "inner", "outer", "full",
  "cross", "apply", "union", "with", "case", "when", "then", "else", "end", "and", "or", "not", "is", "in", "like",
  "between", "distinct", "top", "order", "by", "over", "create", "timestamp", "partition", "limit", "match_recognize",
  "null", "all", "except", "intersect",
]);

/** Thrown inside the parser to unwind to the statement level; never escapes `parse`. */
class SyntaxError_ extends Error {}

const MAX_DEPTH = 200;
/** Longest chain of binary operators (`a + b + … `): later stages walk trees recursively. */
const MAX_CHAIN = 1000;

class Parser {
  private pos = 0;
  private depth = 0;
  /** Set when `recovering` skipped tokens; read and reset per SELECT. */
  private skipped = false;
  readonly diagnostics: Diagnostic[] = [];
  /** Offsets of each MATCH_RECOGNIZE PATTERN body: read by its own grammar, not by the query lexer. */
  readonly patternRanges: A.Span[] = [];

  constructor(
    private readonly tokens: Token[],
    private readonly lines: LineMap,
  ) {}

  // ---------------------------------------------------------------- token helpers

  private get tok(): Token {
    return this.tokens[this.pos]!;
  }
  private atEnd(): boolean {
    return this.tok.type === "eof";
  }
  private peek(offset = 1): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  private advance(): Token {
    const t = this.tok;
    if (t.type !== "eof") this.pos++;
    return t;
  }
  private isWord(word: string, t: Token = this.tok): boolean {
    return t.type === "ident" && t.lower === word;
  }
  private isOp(op: string, t: Token = this.tok): boolean {
    return t.type === "op" && t.value === op;
  }
  private acceptWord(word: string): Token | undefined {
    return this.isWord(word) ? this.advance() : undefined;
  }
  private acceptOp(op: string): Token | undefined {
    return this.isOp(op) ? this.advance() : undefined;
  }
  private expectWord(word: string, context?: string): Token {
    if (this.isWord(word)) return this.advance();
    return this.fail(`expected ${word.toUpperCase()}${context ? ` ${context}` : ""}`);
  }
  private expectOp(op: string, context?: string): Token {
    if (this.isOp(op)) return this.advance();
    return this.fail(`expected '${op}'${context ? ` ${context}` : ""}`);
  }
  private describe(t: Token): string {
    switch (t.type) {
      case "eof":
        return "end of query";
      case "string":
        return `string '${t.value}'`;
      case "qident":
        return `name [${t.value}]`;
      default:
        return `'${t.value}'`;
    }
  }
  /** The token to blame: the current one, or the last real one at the end of the text. */
  private blameSpan(): A.Span {
    const t = this.tok;
    if (t.type !== "eof") return t.span;
    const last = this.tokens[this.pos - 1];
    return last ? last.span : this.lines.span(0, 0);
  }
  private fail(expected: string): never {
    const t = this.tok;
    const what = expected.startsWith("expected") || expected.startsWith("unexpected") ? expected : `expected ${expected}`;
    const found = expected.startsWith("unexpected") ? "" : `, found ${this.describe(t)}`;
    this.diagnostics.push(diagnosticAt(this.blameSpan(), "SYNTAX", `syntax error: ${what}${found}`));
    throw new SyntaxError_();
  }
  private error(span: A.Span, message: string, code = "SYNTAX"): void {
    this.diagnostics.push(diagnosticAt(span, code, message));
  }
  private spanFrom(start: A.Span | Token, end?: A.Span | Token): A.Span {
    const s = "span" in start ? start.span : start;
    const last = end ?? this.tokens[Math.max(0, this.pos - 1)]!;
    const e = "span" in last ? last.span : last;
    if (e.end < s.start) return s;
    return {
      startLine: s.startLine,
      startColumn: s.startColumn,
      endLine: e.endLine,
      endColumn: e.endColumn,
      start: s.start,
      end: e.end,
    };
  }
  private readonly chainDepth = new WeakMap<A.Expression, number>();
  /** Builds a binary node, refusing chains deeper than MAX_CHAIN. */
  private binary(op: A.BinaryOperator, left: A.Expression, right: A.Expression): A.Expression {
    const depth = Math.max(this.chainDepth.get(left) ?? 0, this.chainDepth.get(right) ?? 0) + 1;
    if (depth > MAX_CHAIN) {
      this.error(right.span, `this expression chains more than ${MAX_CHAIN} operators: split it into WITH steps`);
      throw new SyntaxError_();
    }
    const node: A.BinaryExpression = { kind: "Binary", op, left, right, span: this.spanFrom(left.span, right.span) };
    this.chainDepth.set(node, depth);
    return node;
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.depth = 0;
      this.fail("a shallower expression (nesting is too deep)");
    }
  }
  private leave(): void {
    this.depth--;
  }

  /** Clause keywords where parsing can resume inside a SELECT after an error. */
  private static readonly RESUME = new Set(["from", "into", "where", "group", "having", "union", "join", "left", "cross", "outer", "inner", "select", "with", "create", "order"]);

  /**
   * Runs a clause parser; on a syntax error (already reported) skips to the next clause
   * keyword, or to the next ',' of a list when `atComma`, so one statement can report
   * several errors. Returns undefined when it had to skip.
   */
  private recovering<T>(parse: () => T, atComma: boolean): T | undefined {
    const before = this.pos;
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof SyntaxError_)) throw e;
      this.depth = 0;
      this.skipped = true;
      // Parentheses the failed clause opened are still open: their ')' do not end the skip.
      let depth = 0;
      for (let i = before; i < this.pos; i++) {
        const t = this.tokens[i]!;
        if (this.isOp("(", t)) depth++;
        else if (this.isOp(")", t)) depth = Math.max(0, depth - 1);
      }
      while (!this.atEnd()) {
        const t = this.tok;
        if (this.isOp("(")) depth++;
        else if (this.isOp(")")) {
          if (depth === 0) break; // the end of an enclosing step or subquery
          depth--;
        } else if (t.type === "ident" && Parser.RESUME.has(t.lower)) {
          break; // a clause keyword ends the broken clause, even inside parentheses it left open
        } else if (depth === 0 && (this.isOp(";") || (atComma && this.isOp(",")))) break;
        this.advance();
      }
      return undefined;
    }
  }

  // ---------------------------------------------------------------- script and statements

  parseScript(): A.Script {
    const statements: A.Statement[] = [];
    const start = this.tok;
    while (this.tok.type !== "eof") {
      if (this.acceptOp(";")) continue;
      const before = this.pos;
      try {
        statements.push(this.parseStatement());
        if (!this.isOp(";") && !this.atEnd() && !this.startsStatement()) {
          this.fail(`unexpected ${this.describe(this.tok)}: expected an operator, a clause (WHERE, GROUP BY, HAVING, UNION, …) or the next statement`);
        }
      } catch (e) {
        if (!(e instanceof SyntaxError_)) throw e;
        this.depth = 0;
        this.recover(before);
      }
    }
    if (statements.length === 0 && this.diagnostics.length === 0) {
      this.error(this.lines.span(0, 0), "the query is empty: write at least one SELECT statement", "EMPTY_QUERY");
    }
    return { kind: "Script", statements, span: this.spanFrom(start.span, this.tokens[Math.max(0, this.tokens.length - 2)]!.span) };
  }

  private startsStatement(t: Token = this.tok): boolean {
    return this.isWord("select", t) || this.isWord("with", t) || this.isWord("create", t);
  }

  /** Skips to the next top-level statement start after an error. */
  private recover(before: number): void {
    if (this.pos === before) this.advance();
    let depth = 0;
    while (this.tok.type !== "eof") {
      if (this.isOp("(")) depth++;
      else if (this.isOp(")")) depth = Math.max(0, depth - 1);
      else if (this.isOp(";") && depth === 0) return;
      else if (depth === 0 && this.startsStatement() && this.statementStartLooksTopLevel()) return;
      this.advance();
    }
  }

  /** A SELECT right after INTO-less text may be a UNION operand; WITH/CREATE always start statements. */
  private statementStartLooksTopLevel(): boolean {
    const prev = this.tokens[this.pos - 1];
    if (this.isWord("select") && prev && (this.isWord("union", prev) || this.isWord("all", prev) || this.isOp("(", prev))) return false;
    return true;
  }

  private parseStatement(): A.Statement {
    if (this.isWord("create")) {
      if (this.isWord("table", this.peek())) return this.parseCreateTable();
      if (this.isWord("function", this.peek())) return this.parseCreateFunction();
      this.advance();
      return this.fail("TABLE after CREATE");
    }
    const start = this.tok;
    const steps: A.StepDefinition[] = [];
    if (this.acceptWord("with")) {
      do {
        const name = this.parseIdentifier("a step name after WITH");
        this.expectWord("as", "after the step name");
        this.expectOp("(", "to open the step's query");
        const query = this.parseQueryExpression();
        this.expectOp(")", "to close the step's query");
        steps.push({ kind: "Step", name, query, span: this.spanFrom(name.span) });
      } while (this.acceptOp(","));
    }
    if (!this.isWord("select") && !this.isOp("(")) this.fail(steps.length ? "SELECT after the WITH steps (a WITH clause is followed by the query that reads its steps)" : "SELECT");
    const query = this.parseQueryExpression();
    return { kind: "QueryStatement", with: steps, query, span: this.spanFrom(start) };
  }

  private parseCreateTable(): A.CreateTableStatement {
    const start = this.advance();
    this.advance(); // TABLE
    const name = this.parseIdentifier("a table name");
    this.expectOp("(", "to open the column list");
    const columns: A.CreateTableStatement["columns"] = [];
    do {
      const colName = this.parseIdentifier("a column name");
      const type = this.parseTypeName();
      columns.push({ name: colName, type, span: this.spanFrom(colName.span) });
    } while (this.acceptOp(","));
    this.expectOp(")", "to close the column list");
    return { kind: "CreateTable", name, columns, span: this.spanFrom(start) };
  }

  private parseCreateFunction(): A.CreateFunctionStatement {
    const start = this.advance();
    this.advance(); // FUNCTION
    const name = this.parseIdentifier("a function name");
    const bodyStart = this.tok.span.start;
    let bodyEnd = bodyStart;
    while (this.tok.type !== "eof" && !this.isOp(";")) {
      bodyEnd = this.tok.span.end;
      this.advance();
    }
    return { kind: "CreateFunction", name, body: this.lines.text.slice(bodyStart, bodyEnd), span: this.spanFrom(start) };
  }

  // ---------------------------------------------------------------- queries

  private parseQueryExpression(): A.QueryExpression {
    this.enter();
    let left = this.parseQueryTerm();
    while (this.isWord("union")) {
      this.advance();
      const all = this.acceptWord("all") !== undefined;
      const right = this.parseQueryTerm();
      left = { kind: "Union", left, right, all, span: this.spanFrom(left.span, right.span) };
    }
    this.leave();
    return left;
  }

  private parseQueryTerm(): A.QueryExpression {
    if (this.isOp("(")) {
      this.advance();
      const inner = this.parseQueryExpression();
      this.expectOp(")", "to close the query");
      return inner;
    }
    return this.parseSelect();
  }

  private parseSelect(): A.SelectQuery {
    const start = this.expectWord("select");
    const outerSkipped = this.skipped;
    this.skipped = false;
    const distinct = this.acceptWord("distinct") !== undefined;
    if (!distinct) this.acceptWord("all");
    let top: A.Expression | undefined;
    if (this.acceptWord("top")) {
      const paren = this.acceptOp("(");
      top = this.parsePrimary();
      if (paren) this.expectOp(")", "after TOP's count");
    }
    const items: A.SelectItem[] = [];
    do {
      if (items.length > 0 && (this.isWord("from") || this.isWord("into"))) {
        this.fail(`unexpected ${this.tok.value.toUpperCase()} after ',': remove the trailing comma before ${this.tok.value.toUpperCase()}`);
      }
      const item = this.recovering(() => this.parseSelectItem(), true);
      if (item) items.push(item);
    } while (this.acceptOp(","));
    let into: A.Identifier | undefined;
    if (this.acceptWord("into")) into = this.parseSourceName("an output alias after INTO");
    this.expectWord("from", "(every SELECT reads FROM an input or a step)");
    const from = this.parseFromItem();
    const joins: A.JoinClause[] = [];
    for (;;) {
      const join = this.parseJoin();
      if (!join) break;
      joins.push(join);
    }
    if (this.isOp(",")) this.fail("JOIN (SAQL has no comma joins: write JOIN … ON …)");
    const query: A.SelectQuery = { kind: "Select", distinct, top, items, into, from, joins, span: start.span };
    if (this.acceptWord("where")) query.where = this.recovering(() => this.parseExpression(), false);
    if (this.isWord("group")) {
      this.advance();
      this.expectWord("by", "after GROUP");
      query.groupBy = this.recovering(() => this.parseExpressionList(), false) ?? [];
    }
    if (this.acceptWord("having")) query.having = this.recovering(() => this.parseExpression(), false);
    if (this.isWord("order") && this.isWord("by", this.peek())) {
      this.advance();
      this.advance();
      query.orderBy = this.parseOrderList();
    }
    query.span = this.spanFrom(start);
    if (this.skipped) query.incomplete = true;
    this.skipped = outerSkipped || this.skipped;
    return query;
  }

  private parseOrderList(): { expr: A.Expression; descending: boolean }[] {
    const list: { expr: A.Expression; descending: boolean }[] = [];
    do {
      const expr = this.parseExpression();
      let descending = false;
      if (this.acceptWord("desc")) descending = true;
      else this.acceptWord("asc");
      list.push({ expr, descending });
    } while (this.acceptOp(","));
    return list;
  }

  private parseSelectItem(): A.SelectItem {
    const start = this.tok;
    if (this.isOp("*")) {
      this.advance();
      return { kind: "Star", span: start.span };
    }
    // alias.*, record.*, alias.record.field.*
    if (start.type === "ident" || start.type === "qident") {
      let n = 0;
      while ((this.peek(n).type === "ident" || this.peek(n).type === "qident") && this.isOp(".", this.peek(n + 1))) {
        if (this.isOp("*", this.peek(n + 2))) {
          const path: A.Identifier[] = [];
          for (let i = 0; i <= n; i += 2) {
            path.push(this.parseIdentifier("a source alias or a record column"));
            this.advance(); // '.'
          }
          this.advance(); // '*'
          return { kind: "Star", qualifier: path[0], path, span: this.spanFrom(start) };
        }
        n += 2;
      }
    }
    // T-SQL's `alias = expression` form (used in the Snapshot window page).
    if ((start.type === "qident" || (start.type === "ident" && !RESERVED.has(start.lower))) && this.isOp("=", this.peek())) {
      const alias = this.parseIdentifier("an alias");
      this.advance();
      const expr = this.parseExpression();
      return { kind: "SelectExpression", expr, alias, span: this.spanFrom(start) };
    }
    const expr = this.parseExpression();
    const alias = this.parseOptionalAlias();
    return { kind: "SelectExpression", expr, alias, span: this.spanFrom(start) };
  }

  /** `[AS] alias`: AS is optional before a name that is not a keyword. */
  private parseOptionalAlias(): A.Identifier | undefined {
    if (this.acceptWord("as")) {
      if (this.tok.type === "string") {
        // 'alias' strings are accepted by T-SQL; SAQL users write [alias] or "alias".
        const t = this.advance();
        return { kind: "Identifier", name: t.value, quoted: true, span: t.span };
      }
      return this.parseIdentifier("an alias after AS");
    }
    if (this.tok.type === "qident" || (this.tok.type === "ident" && !RESERVED.has(this.tok.lower))) {
      return this.parseIdentifier("an alias");
    }
    return undefined;
  }

  /**
   * An input, output or step name. Job aliases may contain '-', which a query must bracket:
   * `my-input` is reported (with the fix) and read as the name `my-input` so checking goes on.
   */
  private parseSourceName(what: string): A.Identifier {
    const id = this.parseIdentifier(what);
    if (id.quoted || !this.isOp("-") || this.tok.spaced) return id;
    let name = id.name;
    let end = id.span;
    while (this.isOp("-") && !this.tok.spaced && (this.peek().type === "ident" || this.peek().type === "number") && !this.peek().spaced) {
      this.advance();
      const part = this.advance();
      name += `-${part.value}`;
      end = part.span;
    }
    if (name === id.name) return id;
    const span = this.spanFrom(id.span, end);
    this.error(span, `a name with '-' must be bracketed in a query: write [${name}]`);
    return { kind: "Identifier", name, quoted: true, span };
  }

  private parseIdentifier(what: string): A.Identifier {
    const t = this.tok;
    if (t.type === "qident") {
      this.advance();
      return { kind: "Identifier", name: t.value, quoted: true, span: t.span };
    }
    if (t.type === "ident" && !(RESERVED.has(t.lower) && !["timestamp", "partition", "limit"].includes(t.lower))) {
      this.advance();
      return { kind: "Identifier", name: t.value, quoted: false, span: t.span };
    }
    return this.fail(what);
  }

  // ---------------------------------------------------------------- FROM, JOIN, APPLY

  private parseFromItem(): A.FromItem {
    const start = this.tok;
    if (this.isOp("(")) {
      this.advance();
      const query = this.parseQueryExpression();
      this.expectOp(")", "to close the subquery");
      const alias = this.parseOptionalAlias();
      return { kind: "SubquerySource", query, alias, span: this.spanFrom(start) };
    }
    if ((start.type === "ident" || start.type === "qident") && this.isOp("(", this.peek())) {
      const call = this.parsePrimary();
      if (call.kind !== "FunctionCall") return this.fail("a source");
      const alias = this.parseOptionalAlias();
      return { kind: "FunctionSource", call, alias, span: this.spanFrom(start) };
    }
    const name = this.parseSourceName("an input or step name");
    const source: A.SourceReference = { kind: "SourceReference", name, span: name.span };
    source.alias = this.parseOptionalAlias();
    for (;;) {
      if (this.isWord("timestamp")) {
        const tsStart = this.advance();
        this.expectWord("by", "after TIMESTAMP");
        const expr = this.parseExpression();
        const over: A.Expression[] = [];
        if (this.acceptWord("over")) over.push(...this.parseExpressionList());
        if (source.timestampBy) this.error(tsStart.span, "TIMESTAMP BY is given twice for this source: keep one");
        source.timestampBy = { expr, over, span: this.spanFrom(tsStart) };
        continue;
      }
      if (this.isWord("partition")) {
        this.advance();
        this.expectWord("by", "after PARTITION");
        source.partitionBy = this.parseExpressionList();
        if (this.isWord("into") && this.peek().type === "number") {
          this.advance();
          const n = this.advance();
          source.intoPartitions = Number(n.value);
        }
        continue;
      }
      if (this.isWord("match_recognize")) {
        source.matchRecognize = this.parseMatchRecognize();
        continue;
      }
      break;
    }
    source.span = this.spanFrom(start);
    return source;
  }

  private parseJoin(): A.JoinClause | undefined {
    const start = this.tok;
    let type: A.JoinClause["type"];
    if (this.isWord("join")) {
      this.advance();
      type = "inner";
    } else if (this.isWord("inner") && this.isWord("join", this.peek())) {
      this.advance();
      this.advance();
      type = "inner";
    } else if (this.isWord("left")) {
      this.advance();
      this.acceptWord("outer");
      this.expectWord("join", "after LEFT [OUTER]");
      type = "left";
    } else if (this.isWord("right") || this.isWord("full")) {
      this.error(start.span, `${start.value.toUpperCase()} JOIN is not part of SAQL: use JOIN or LEFT OUTER JOIN`);
      this.advance();
      this.acceptWord("outer");
      this.expectWord("join");
      type = "left";
    } else if (this.isWord("cross") && this.isWord("apply", this.peek())) {
      this.advance();
      this.advance();
      type = "cross-apply";
    } else if (this.isWord("outer") && this.isWord("apply", this.peek())) {
      this.advance();
      this.advance();
      type = "outer-apply";
    } else if (this.isWord("cross") && this.isWord("join", this.peek())) {
      this.error(start.span, "CROSS JOIN is not part of SAQL: use JOIN … ON with a condition");
      this.advance();
      this.advance();
      type = "inner";
    } else return undefined;
    const source = this.parseFromItem();
    let on: A.Expression | undefined;
    if (type === "inner" || type === "left") {
      this.expectWord("on", "(a JOIN needs an ON condition)");
      on = this.parseExpression();
    }
    return { kind: "Join", type, source, on, span: this.spanFrom(start) };
  }

  private parseMatchRecognize(): A.MatchRecognizeClause {
    const start = this.advance();
    this.expectOp("(", "after MATCH_RECOGNIZE");
    const clause: A.MatchRecognizeClause = { kind: "MatchRecognize", partitionBy: [], measures: [], pattern: "", define: [], span: start.span };
    let sawPattern = false;
    while (!this.isOp(")")) {
      if (this.isWord("limit")) {
        this.advance();
        const d = this.parsePrimary();
        if (d.kind !== "FunctionCall" || d.name.name.toLowerCase() !== "duration") this.error(d.span, "expected DURATION(unit, length) after LIMIT");
        clause.limitDuration = d;
      } else if (this.isWord("partition")) {
        this.advance();
        this.expectWord("by", "after PARTITION");
        clause.partitionBy = this.parseExpressionList();
      } else if (this.isWord("measures")) {
        this.advance();
        do {
          const expr = this.parseExpression();
          this.expectWord("as", "after a MEASURES expression");
          clause.measures.push({ expr, alias: this.parseIdentifier("a measure name") });
        } while (this.acceptOp(","));
      } else if (this.isWord("after")) {
        const from = this.advance();
        this.expectWord("match", "after AFTER");
        let last = this.tok;
        while (this.tok.type === "ident" && !["pattern", "define", "measures", "partition", "limit"].includes(this.tok.lower)) last = this.advance();
        clause.afterMatch = this.lines.text.slice(from.span.start, last.span.end);
      } else if (this.isWord("pattern")) {
        this.advance();
        const open = this.expectOp("(", "after PATTERN");
        let depth = 1;
        let last = open;
        while (depth > 0) {
          if (this.tok.type === "eof") this.fail("')' to close PATTERN");
          if (this.isOp("(")) depth++;
          if (this.isOp(")")) depth--;
          last = this.advance();
        }
        clause.pattern = this.lines.text.slice(open.span.end, last.span.start).trim();
        clause.patternSpan = this.lines.span(open.span.end, last.span.start);
        this.patternRanges.push(clause.patternSpan);
        const parsed = parseRowPattern(this.lines.text, open.span.end, last.span.start, this.lines);
        if (parsed.error) this.error(parsed.error.span, parsed.error.message);
        clause.patternTree = parsed.tree;
        sawPattern = true;
      } else if (this.isWord("define")) {
        this.advance();
        do {
          const name = this.parseIdentifier("a pattern variable");
          this.expectWord("as", "after the pattern variable");
          clause.define.push({ name, condition: this.parseExpression() });
        } while (this.acceptOp(","));
      } else {
        this.fail("LIMIT DURATION, PARTITION BY, MEASURES, AFTER MATCH, PATTERN or DEFINE inside MATCH_RECOGNIZE");
      }
    }
    this.advance();
    if (!sawPattern) this.error(start.span, "MATCH_RECOGNIZE needs a PATTERN (…) clause");
    clause.alias = this.parseOptionalAlias();
    clause.span = this.spanFrom(start);
    return clause;
  }

  // ---------------------------------------------------------------- expressions

  private parseExpressionList(): A.Expression[] {
    const list: A.Expression[] = [];
    do list.push(this.parseExpression());
    while (this.acceptOp(","));
    return list;
  }

  parseExpression(): A.Expression {
    this.enter();
    const e = this.parseOr();
    this.leave();
    return e;
  }

  private parseOr(): A.Expression {
    let left = this.parseAnd();
    while (this.isWord("or")) {
      this.advance();
      const right = this.parseAnd();
      left = this.binary("OR", left, right);
    }
    return left;
  }

  private parseAnd(): A.Expression {
    let left = this.parseNot();
    while (this.isWord("and")) {
      this.advance();
      const right = this.parseNot();
      left = this.binary("AND", left, right);
    }
    return left;
  }

  private parseNot(): A.Expression {
    if (this.isWord("not")) {
      const start = this.advance();
      this.enter();
      const operand = this.parseNot();
      this.leave();
      return { kind: "Unary", op: "NOT", operand, span: this.spanFrom(start.span, operand.span) };
    }
    return this.parseComparison();
  }

  private parseComparison(): A.Expression {
    const left = this.parseAdditive();
    const t = this.tok;
    if (t.type === "op" && ["=", "!=", "<>", "<", ">", "<=", ">="].includes(t.value)) {
      this.advance();
      const right = this.parseAdditive();
      return this.binary(t.value as A.BinaryOperator, left, right);
    }
    if (this.isOp("==")) this.fail("'=' (SAQL compares with a single '=')");
    if (this.isWord("is")) {
      this.advance();
      const not = this.acceptWord("not") !== undefined;
      const end = this.expectWord("null", "after IS [NOT]");
      return { kind: "IsNull", expr: left, not, span: this.spanFrom(left.span, end.span) };
    }
    let not = false;
    if (this.isWord("not") && ["in", "like", "between"].some((w) => this.isWord(w, this.peek()))) {
      this.advance();
      not = true;
    }
    if (this.acceptWord("in")) {
      this.expectOp("(", "after IN");
      const list = this.parseExpressionList();
      const end = this.expectOp(")", "to close the IN list");
      return { kind: "In", expr: left, list, not, span: this.spanFrom(left.span, end.span) };
    }
    if (this.acceptWord("like")) {
      const pattern = this.parseAdditive();
      return { kind: "Like", expr: left, pattern, not, span: this.spanFrom(left.span, pattern.span) };
    }
    if (this.acceptWord("between")) {
      const low = this.parseAdditive();
      this.expectWord("and", "in BETWEEN … AND …");
      const high = this.parseAdditive();
      return { kind: "Between", expr: left, low, high, not, span: this.spanFrom(left.span, high.span) };
    }
    return left;
  }

  private parseAdditive(): A.Expression {
    let left = this.parseMultiplicative();
    for (;;) {
      const t = this.tok;
      if (t.type !== "op" || !["+", "-", "&", "|", "^"].includes(t.value)) return left;
      this.advance();
      const right = this.parseMultiplicative();
      left = this.binary(t.value as A.BinaryOperator, left, right);
    }
  }

  private parseMultiplicative(): A.Expression {
    let left = this.parseUnary();
    for (;;) {
      const t = this.tok;
      if (t.type !== "op" || !["*", "/", "%"].includes(t.value)) return left;
      this.advance();
      const right = this.parseUnary();
      left = this.binary(t.value as A.BinaryOperator, left, right);
    }
  }

  private parseUnary(): A.Expression {
    const t = this.tok;
    if (t.type === "op" && (t.value === "-" || t.value === "+" || t.value === "~")) {
      this.advance();
      this.enter();
      const operand = this.parseUnary();
      this.leave();
      // Fold `-5` into a literal: window sizes, TOP and offsets read literals.
      if (t.value === "-" && operand.kind === "Literal" && typeof operand.value === "number" && operand.span.start === t.span.end) {
        return { ...operand, value: -operand.value, span: this.spanFrom(t.span, operand.span) };
      }
      return { kind: "Unary", op: t.value as A.UnaryOperator, operand, span: this.spanFrom(t.span, operand.span) };
    }
    return this.parsePostfix(this.parsePrimary());
  }

  /** `.field` and `[index]` after an expression. */
  private parsePostfix(expr: A.Expression): A.Expression {
    for (;;) {
      if (this.isOp(".") && (this.peek().type === "ident" || this.peek().type === "qident")) {
        this.advance();
        const field = this.parseFieldName();
        if (expr.kind === "ColumnReference") {
          expr = { kind: "ColumnReference", parts: [...expr.parts, field], span: this.spanFrom(expr.span, field.span) };
        } else {
          expr = { kind: "MemberAccess", target: expr, field, span: this.spanFrom(expr.span, field.span) };
        }
        continue;
      }
      if (this.isOp("[")) {
        this.advance();
        const index = this.parseExpression();
        const end = this.expectOp("]", "to close the array index");
        expr = { kind: "IndexAccess", target: expr, index, span: this.spanFrom(expr.span, end.span) };
        continue;
      }
      return expr;
    }
  }

  /** A field name after `.`: any word, keywords included (`e.timestamp`, `e.[from]`). */
  private parseFieldName(): A.Identifier {
    const t = this.advance();
    return { kind: "Identifier", name: t.value, quoted: t.type === "qident", span: t.span };
  }

  private parsePrimary(): A.Expression {
    const t = this.tok;
    switch (t.type) {
      case "number": {
        this.advance();
        const isFloat = /[.eE]/.test(t.value);
        const value = Number(t.value);
        return { kind: "Literal", type: isFloat ? "float" : "bigint", value, span: t.span };
      }
      case "string":
        this.advance();
        return { kind: "Literal", type: "nvarchar", value: t.value, span: t.span };
      case "qident":
        return this.parseNameOrCall();
      case "op":
        if (t.value === "(") {
          this.advance();
          if (this.isWord("select")) {
            this.error(this.tok.span, "a subquery cannot be used as a value in SAQL: move it to a WITH step and JOIN it");
            this.parseQueryExpression();
            this.expectOp(")");
            return { kind: "Literal", type: "null", value: null, span: this.spanFrom(t.span) };
          }
          const inner = this.parseExpression();
          const end = this.expectOp(")", "to close the parenthesis");
          // Keep the parenthesis in the span so carets cover what the user wrote.
          return { ...inner, span: this.spanFrom(t.span, end.span) };
        }
        return this.fail("an expression");
      case "ident":
        break;
      default:
        return this.fail("an expression");
    }
    switch (t.lower) {
      case "null":
        this.advance();
        return { kind: "Literal", type: "null", value: null, span: t.span };
      case "true":
      case "false":
        if (!this.isOp("(", this.peek()) && !this.isOp(".", this.peek())) {
          this.advance();
          return { kind: "Literal", type: "bit", value: t.lower === "true", span: t.span };
        }
        break;
      case "case":
        return this.parseCase();
      case "cast":
      case "try_cast":
        if (this.isOp("(", this.peek())) return this.parseCast();
        break;
      case "system":
        if (this.isOp(".", this.peek()) && this.peek(2).type === "ident") return this.parseSystemCall();
        break;
      case "udf":
      case "uda":
        if (this.isOp(".", this.peek()) && (this.peek(2).type === "ident" || this.peek(2).type === "qident")) return this.parseJavaScriptCall();
        break;
      default:
        if (RESERVED.has(t.lower) && !this.isOp("(", this.peek()) && !["timestamp", "partition", "limit"].includes(t.lower)) {
          return this.fail("an expression");
        }
    }
    return this.parseNameOrCall();
  }

  private parseNameOrCall(): A.Expression {
    const t = this.advance();
    const name: A.Identifier = { kind: "Identifier", name: t.value, quoted: t.type === "qident", span: t.span };
    if (t.type === "ident" && this.isOp("(")) return this.parseCallRest(name, undefined, t.span);
    return { kind: "ColumnReference", parts: [name], span: t.span };
  }

  private parseSystemCall(): A.Expression {
    const start = this.advance();
    this.advance(); // .
    const nameTok = this.advance();
    const name: A.Identifier = { kind: "Identifier", name: nameTok.value, quoted: false, span: nameTok.span };
    if (this.isOp("(")) return this.parseCallRest(name, "system", start.span);
    // `System.Timestamp` without parentheses is the same call.
    return { kind: "FunctionCall", namespace: "system", name, args: [], star: false, distinct: false, span: this.spanFrom(start.span, nameTok.span) };
  }

  private parseJavaScriptCall(): A.Expression {
    const start = this.advance();
    this.advance(); // .
    const nameTok = this.advance();
    const name: A.Identifier = { kind: "Identifier", name: nameTok.value, quoted: nameTok.type === "qident", span: nameTok.span };
    if (!this.isOp("(")) this.fail(`'(' after ${start.value}.${nameTok.value}`);
    return this.parseCallRest(name, start.lower as "udf" | "uda", start.span);
  }

  private parseCallRest(name: A.Identifier, namespace: A.FunctionCall["namespace"], startSpan: A.Span): A.FunctionCall {
    this.enter();
    this.expectOp("(");
    const call: A.FunctionCall = { kind: "FunctionCall", namespace, name, args: [], star: false, distinct: false, span: startSpan };
    if (this.isOp("*") && this.isOp(")", this.peek())) {
      this.advance();
      call.star = true;
    } else if (!this.isOp(")")) {
      if (this.acceptWord("distinct")) call.distinct = true;
      else this.acceptWord("all");
      call.args = this.parseExpressionList();
    }
    const end = this.expectOp(")", `to close the call to ${name.name}`);
    call.span = this.spanFrom(startSpan, end.span);
    if (this.isWord("over")) {
      call.over = this.parseOver();
      call.span = this.spanFrom(startSpan, call.over.span);
    }
    this.leave();
    return call;
  }

  private parseOver(): A.OverClause {
    const start = this.advance();
    this.expectOp("(", "after OVER");
    const over: A.OverClause = { kind: "Over", partitionBy: [], span: start.span };
    if (this.isWord("partition")) {
      this.advance();
      this.expectWord("by", "after PARTITION");
      over.partitionBy = this.parseExpressionList();
    }
    if (this.isWord("order") || this.isWord("order_by")) {
      if (this.advance().lower === "order") this.expectWord("by", "after ORDER");
      over.orderBy = this.parseOrderList();
    }
    if (this.isWord("limit")) {
      this.advance();
      const d = this.parsePrimary();
      if (d.kind !== "FunctionCall" || d.name.name.toLowerCase() !== "duration" || d.namespace) {
        this.error(d.span, "expected DURATION(unit, length) after LIMIT");
      } else over.limitDuration = d;
    }
    if (this.acceptWord("when")) over.when = this.parseExpression();
    const end = this.expectOp(")", "to close OVER (…) (order: PARTITION BY, LIMIT DURATION, WHEN)");
    over.span = this.spanFrom(start.span, end.span);
    return over;
  }

  private parseCase(): A.CaseExpression {
    const start = this.advance();
    const node: A.CaseExpression = { kind: "Case", whens: [], span: start.span };
    if (!this.isWord("when")) node.operand = this.parseExpression();
    if (!this.isWord("when")) this.fail("WHEN in CASE");
    while (this.acceptWord("when")) {
      const when = this.parseExpression();
      this.expectWord("then", "after the WHEN condition");
      node.whens.push({ when, then: this.parseExpression() });
    }
    if (this.acceptWord("else")) node.else = this.parseExpression();
    const end = this.expectWord("end", "to close CASE");
    node.span = this.spanFrom(start.span, end.span);
    return node;
  }

  private parseCast(): A.CastExpression {
    const start = this.advance();
    this.expectOp("(");
    const expr = this.parseExpression();
    this.expectWord("as", `in ${start.value.toUpperCase()}(expression AS type)`);
    const type = this.parseTypeName();
    const end = this.expectOp(")", `to close ${start.value.toUpperCase()}`);
    return { kind: "Cast", expr, type, try: start.lower === "try_cast", span: this.spanFrom(start.span, end.span) };
  }

  private parseTypeName(): A.TypeName {
    const start = this.tok;
    if (start.type !== "ident" && start.type !== "qident") this.fail("a data type (bigint, float, nvarchar(max), datetime, bit, record, array)");
    this.advance();
    let name = start.value.toLowerCase();
    if (this.isOp("(")) {
      this.advance();
      const args: string[] = [];
      while (!this.isOp(")")) {
        if (this.tok.type === "eof") this.fail("')' to close the type");
        args.push(this.advance().value.toLowerCase());
      }
      this.advance();
      name += `(${args.join("")})`;
    }
    return { kind: "TypeName", name, span: this.spanFrom(start) };
  }
}

/** Parses a whole query. Never throws: problems come back as diagnostics. */
export function parse(text: string): ParseResult {
  const lines = new LineMap(text);
  const lexed = tokenize(text, lines);
  const parser = new Parser(lexed.tokens, lines);
  let script: A.Script | undefined;
  try {
    script = parser.parseScript();
  } catch (e) {
    // Only a bug lands here; report it as a diagnostic rather than crash the caller.
    parser.diagnostics.push(diagnosticAt(lines.span(0, 0), "INTERNAL", `internal parser error: ${(e as Error).message}`));
  }
  // `{n,m}` in a PATTERN body is not a query token: the pattern grammar judged that text already.
  const before = (l1: number, c1: number, l2: number, c2: number) => l1 < l2 || (l1 === l2 && c1 <= c2);
  const inPattern = (d: Diagnostic) =>
    parser.patternRanges.some((r) => before(r.startLine, r.startColumn, d.startLine, d.startColumn) && before(d.startLine, d.startColumn, r.endLine, r.endColumn));
  return { script, diagnostics: [...lexed.diagnostics.filter((d) => !inPattern(d)), ...parser.diagnostics] };
}
