// JOIN rules from the JOIN and Reference data JOIN pages: a time bound between streams,
// at most seven days, and partition keys matched when both sides are partitioned.
import type * as A from "../ast";
import { TIME_UNIT_MICROS } from "../catalog";
import type { Report } from "./diagnostics";
import { childExpressions } from "./walk";
import { timeUnitOf } from "./windows";

/** Whether ON bounds the join in time: a DATEDIFF in every OR branch. */
export function containsDateDiff(e: A.Expression): boolean {
  if (e.kind === "FunctionCall" && !e.namespace && e.name.name.toLowerCase() === "datediff") return true;
  if (e.kind === "Binary" && e.op === "OR") return containsDateDiff(e.left) && containsDateDiff(e.right);
  return childExpressions(e).some(containsDateDiff);
}

/** JOIN page: "The maximum DATEDIFF size is seven days." */
export function checkJoinBound(on: A.Expression, report: Report): void {
  const visit = (e: A.Expression): void => {
    if (e.kind === "Between" && e.expr.kind === "FunctionCall" && !e.expr.namespace && e.expr.name.name.toLowerCase() === "datediff") {
      const unit = timeUnitOf(e.expr.args[0]);
      for (const bound of [e.low, e.high]) {
        if (unit && bound.kind === "Literal" && typeof bound.value === "number" && Math.abs(bound.value) * TIME_UNIT_MICROS[unit]! > 7 * TIME_UNIT_MICROS.day!) {
          report(bound, "JOIN_BOUND_TOO_LONG", "a JOIN's DATEDIFF bound exceeds the seven-day maximum");
        }
      }
    }
    for (const child of childExpressions(e, false)) visit(child);
  };
  visit(on);
}

/** JOIN page: "If the JOIN sources are partitioned, the JOIN predicate must include a condition matching the partition keys of both sources." */
export function checkPartitionedJoin(sel: A.SelectQuery, join: A.JoinClause, report: Report): void {
  const left = sel.from.kind === "SourceReference" ? sel.from : undefined;
  const right = join.source.kind === "SourceReference" ? join.source : undefined;
  if (!left?.partitionBy?.length || !right?.partitionBy?.length || !join.on) return;
  const lastPart = (e: A.Expression) => (e.kind === "ColumnReference" ? e.parts[e.parts.length - 1]!.name.toLowerCase() : undefined);
  const leftKeys = new Set(left.partitionBy.map(lastPart));
  const rightKeys = new Set(right.partitionBy.map(lastPart));
  let matched = false;
  const visit = (e: A.Expression): void => {
    if (e.kind === "Binary" && e.op === "=") {
      const a = lastPart(e.left);
      const b = lastPart(e.right);
      if ((leftKeys.has(a) && rightKeys.has(b)) || (leftKeys.has(b) && rightKeys.has(a))) matched = true;
    }
    if (e.kind === "Binary" && e.op === "AND") {
      visit(e.left);
      visit(e.right);
    }
  };
  visit(join.on);
  if (!matched) {
    report(join.on, "PARTITIONED_JOIN", "both JOIN sources are partitioned: the ON condition must also match their partition keys, e.g. a.PartitionId = b.PartitionId");
  }
}
