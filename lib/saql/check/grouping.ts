// The grouping rule: outside aggregates, a grouped SELECT may only use what GROUP BY lists.
import type * as A from "../ast";
import { lookupFunction } from "../catalog";
import type { Report } from "./diagnostics";
import { childExpressions, expressionKey } from "./walk";

/** The key of an expression with a leading source alias removed, so `e.id` and `id` match. */
export function normalizedKey(e: A.Expression, aliases: Set<string>): string {
  if (e.kind === "ColumnReference" && e.parts.length > 1 && aliases.has(e.parts[0]!.name.toLowerCase())) {
    return e.parts.slice(1).map((p) => p.name.toLowerCase()).join(".");
  }
  return expressionKey(e);
}

/** Reports columns used outside aggregates that GROUP BY does not cover. */
export function checkGrouped(e: A.Expression, keys: Set<string>, aliases: Set<string>, report: Report): void {
  if (keys.has(normalizedKey(e, aliases))) return;
  switch (e.kind) {
    case "Literal":
      return;
    case "ColumnReference": {
      // A field of a grouped record is grouped too: GROUP BY e.props covers e.props.region.
      const key = normalizedKey(e, aliases);
      for (const k of keys) if (key.startsWith(`${k}.`)) return;
      const written = e.parts.map((p) => p.name).join(".");
      report(e, "NOT_GROUPED", `'${written}' is neither grouped nor aggregated: add it to GROUP BY, or wrap it in an aggregate such as MAX(${written})`);
      return;
    }
    case "FunctionCall": {
      if (e.namespace === "system" || e.namespace === "uda") return;
      if (e.over) return; // analytic, or an ORDER BY aggregate: evaluated per event or per group
      const sig = e.namespace ? undefined : lookupFunction(e.name.name);
      if (sig?.aggregate) return;
      e.args.forEach((arg, i) => {
        // Dateparts (`minute` in DATEADD(minute, …)) and constants are not columns.
        const kind = sig?.args[Math.min(i, sig.args.length - 1)]?.kind;
        if (kind === "datetime-unit" || kind === "literal") return;
        checkGrouped(arg, keys, aliases, report);
      });
      return;
    }
    default:
      for (const child of childExpressions(e, false)) checkGrouped(child, keys, aliases, report);
  }
}
