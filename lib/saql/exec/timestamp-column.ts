// TIMESTAMP BY on a plain column makes that column a datetime in the event (issue 16, rule 4):
// the event's `*`, TopOne() and ORDER BY in TopOne/CollectTop then hold the instant, not its
// text, so two spellings of one instant (`…T12:00:00+02:00`, `…T10:00:00.000Z`) compare equal
// and sort by time, and the column is written like every datetime (seven fractional digits).
import type { Expression } from "../ast";
import * as datetimeText from "../functions/datetime-text";
import * as instant from "../instant";
import type { RecordValue } from "../values";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const { parseDateTimeValue } = datetimeText;
const { dateTimeOf } = instant;

/**
 * When TIMESTAMP BY names a top-level field (`T`, `alias.T`): the event with that field's text
 * replaced by its datetime, in place or, when `shared()` says other FROMs of the same input receive
 * the same event objects, in a copy. Undefined for any other TIMESTAMP BY expression.
 * `instant` is the event time the source read from that text: the datetime is made from it
 * instead of parsing the text again, where an instant is exact (|ticks| < 2⁵³, 1996–2053).
 */
export function timestampColumnSettler(expr: Expression, aliases: string[], shared: () => boolean): ((rec: RecordValue, instant: number) => RecordValue) | undefined {
  const name = plainColumn(expr, aliases);
  if (name === undefined) return undefined;
  return (rec, ts) => {
    const key = rec[name] !== undefined ? name : keyOf(rec, name);
    const text = rec[key];
    if (typeof text !== "string") return rec;
    const instant = Number.isSafeInteger(ts) ? dateTimeOf(ts) : parseDateTimeValue(text);
    if (!instant) return rec;
    if (shared()) return { ...rec, [key]: instant };
    rec[key] = instant;
    return rec;
  };
}

/** The field TIMESTAMP BY names when it is a plain column (`T`, `alias.T`), else undefined. */
export function plainColumn(expr: Expression, aliases: string[]): string | undefined {
  if (expr.kind !== "ColumnReference") return undefined;
  const parts = expr.parts.map((p) => p.name);
  if (parts.length === 1) return parts[0];
  if (parts.length === 2 && aliases.some((a) => a.toLowerCase() === parts[0].toLowerCase())) return parts[1];
  return undefined;
}

/** The event's own spelling of a field named case-insensitively (the name itself when absent). */
function keyOf(rec: RecordValue, name: string): string {
  const lower = name.toLowerCase();
  for (const key in rec) if (key.toLowerCase() === lower) return key;
  return name;
}
