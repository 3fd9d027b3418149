// MATCH_RECOGNIZE in the local engine: `FROM input [TIMESTAMP BY t] MATCH_RECOGNIZE (…) AS m`
// becomes an operator between the source and the SELECT, whose rows are the matches' MEASURES.
// Reference: stream-analytics-docs/match-recognize-stream-analytics.md (MicrosoftDocs/azure-reference-other).
import { NotSupportedError, StreamkitError } from "../../../core/errors";
import type { MatchRecognizeClause } from "../../ast";
import { durationTicks, parseDateTimeUnit, type JobFunctions } from "../../functions";
import { compileExpression, locationOf, sourceScope } from "../compile-expr";
import { FanOut, type EventOrigin } from "../row";
import { compileDefine, compileMeasure, type MatchNames } from "./expressions";
import { compilePattern, matchesEmpty } from "./nfa";
import { MatchRecognizeOperator } from "./operator";

export interface MatchRecognizeOptions {
  file?: string;
  functions?: JobFunctions;
  onDataError: (message: string, origin: EventOrigin | undefined) => void;
}

/** Puts the clause's operator after `source`; returns the node the SELECT reads and its names. */
export function matchRecognizeSource(
  clause: MatchRecognizeClause,
  source: { fanout: FanOut; aliases: string[] },
  options: MatchRecognizeOptions,
): { fanout: FanOut; aliases: string[] } {
  const where = (span = clause.span) => locationOf(span, options.file);
  if (!clause.patternTree) throw new StreamkitError("MATCH_RECOGNIZE needs a valid PATTERN ( … )", where(clause.patternSpan), "SYNTAX");
  // "AFTER MATCH SKIP TO NEXT ROW … This is the only skip clause available."
  if (clause.afterMatch && clause.afterMatch.replace(/\s+/g, " ").toUpperCase() !== "AFTER MATCH SKIP TO NEXT ROW") {
    throw new NotSupportedError(`'${clause.afterMatch}' (ASA's only skip clause is AFTER MATCH SKIP TO NEXT ROW)`, where());
  }
  if (!clause.limitDuration) throw new StreamkitError("MATCH_RECOGNIZE needs LIMIT DURATION(unit, length)", where(), "SEMANTIC");

  const variables = new Map<string, number>();
  clause.define.forEach((d, i) => variables.set(d.name.name.toLowerCase(), i));
  const names: MatchNames = { variables, display: clause.define.map((d) => d.name.name), sourceAliases: new Set(source.aliases.map((a) => a.toLowerCase())), file: options.file, functions: options.functions };
  const nfa = compilePattern(clause.patternTree, (name) => {
    const index = variables.get(name.toLowerCase());
    if (index === undefined) throw new StreamkitError(`pattern variable '${name}' is not defined in DEFINE`, where(clause.patternSpan), "SEMANTIC");
    return index;
  });
  if (matchesEmpty(nfa)) {
    // Every event would start and end an empty match at once; the reference says nothing of them.
    throw new NotSupportedError(`the PATTERN (${clause.pattern}), which can match no event at all (an empty match)`, where(clause.patternSpan));
  }

  const scope = sourceScope(source.aliases, options.file);
  scope.functions = options.functions;
  const output = new FanOut();
  const operator = new MatchRecognizeOperator(
    {
      nfa,
      define: clause.define.map((d) => compileDefine(d.condition, names)),
      measures: clause.measures.map((m) => ({ name: m.alias.name, value: compileMeasure(m.expr, names) })),
      partitionBy: clause.partitionBy.map((p) => compileExpression(p, scope)),
      duration: limitDuration(clause, where),
      location: where(),
    },
    output,
    (error, origin) => {
      if (!(error instanceof StreamkitError) || error.code === "NOT_SUPPORTED" || error.code === "UDF") throw error;
      options.onDataError(error.describe(), origin);
    },
  );
  source.fanout.targets.push(operator);
  return { fanout: output, aliases: clause.alias ? [clause.alias.name] : [] };
}

function limitDuration(clause: MatchRecognizeClause, where: (span?: MatchRecognizeClause["span"]) => ReturnType<typeof locationOf>): number {
  const call = clause.limitDuration!;
  const [unitExpr, sizeExpr] = call.kind === "FunctionCall" ? call.args : [];
  const unit = unitExpr?.kind === "ColumnReference" && unitExpr.parts.length === 1 ? parseDateTimeUnit(unitExpr.parts[0]!.name) : undefined;
  const n = sizeExpr?.kind === "Literal" && typeof sizeExpr.value === "number" ? sizeExpr.value : undefined;
  if (!unit || n === undefined || !(n > 0)) throw new StreamkitError("LIMIT DURATION: expected a time unit and a positive number, e.g. DURATION(minute, 1)", where(call.span), "SEMANTIC");
  try {
    return durationTicks(unit, n);
  } catch (error) {
    throw new StreamkitError((error as Error).message, where(call.span), "SEMANTIC");
  }
}
