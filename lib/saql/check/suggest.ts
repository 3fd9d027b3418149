// "Did you mean …?": the closest known name to a misspelt one, case-insensitively.

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The candidate nearest to `name`, when it is close enough to be a typo (a third of its length). */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(lower.length / 3));
  for (const candidate of candidates) {
    const d = distance(lower, candidate.toLowerCase());
    if (d > 0 && d <= bestDistance && (best === undefined || d < bestDistance)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)` or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closest(name, candidates);
  return match ? ` (did you mean '${match}'?)` : "";
}

/**
 * SQL Server functions people write out of habit, and what Stream Analytics has instead
 * (the SAQL reference lists COALESCE, CASE and System.Timestamp(); none of these).
 */
const SQL_SERVER_EQUIVALENTS: Record<string, string> = {
  isnull: "COALESCE(expression, replacement)",
  ifnull: "COALESCE(expression, replacement)",
  nvl: "COALESCE(expression, replacement)",
  iif: "CASE WHEN condition THEN a ELSE b END",
  getdate: "System.Timestamp() (the event time)",
  getutcdate: "System.Timestamp() (the event time)",
  sysdatetime: "System.Timestamp() (the event time)",
};

/** What Stream Analytics writes for a SQL Server function it does not have, if known. */
export function sqlServerEquivalent(name: string): string | undefined {
  return SQL_SERVER_EQUIVALENTS[name.toLowerCase()];
}
