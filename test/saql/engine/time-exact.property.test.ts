// Time is exact to 100 ns everywhere (issue 16, rule 7; docs/time.md): every datetime path of the
// engine against an exact model in BigInt ticks since 0001-01-01 (ASA's origin), on random instants
// at and one tick around each boundary. The model is written here from the definitions (the
// proleptic Gregorian calendar, T-SQL's DATEADD/DATEDIFF, windows (start, end] aligned to
// 0001-01-01), not from the engine's code.
import fc from "fast-check";
import type { InputEvent } from "../../../lib/io/types";
import { dateAdd, dateDiff, datePart, parseDateTime, type DateTimeUnit } from "../../../lib/saql/functions";
import { parseDateTimeInstant, parseDateTimeValue } from "../../../lib/saql/functions/datetime-text";
import { alignUp, dateTimeOf, gridPhase, instantOf } from "../../../lib/saql/instant";
import { DateTimeValue, type RecordValue } from "../../../lib/saql/values";
import { runQuery } from "../../../lib/simulator/run";

// ----------------------------------------------------------------------------------------- model

const TPD = 864_000_000_000n; // ticks per day
const UNIT: Record<string, bigint> = { microsecond: 10n, millisecond: 10_000n, second: 10_000_000n, minute: 600_000_000n, hour: 36_000_000_000n, day: TPD, week: 7n * TPD };
/** 1970-01-01 and 2025-01-01 (the engine's instant 0) in ticks since 0001-01-01. */
const T1970 = 719_162n * TPD;
const T2025 = 739_251n * TPD;
/** 9999-12-31T23:59:59.9999999. */
const MAX_T = 3_652_059n * TPD - 1n;
/** The range where instants are exact (±2⁵³ ticks around 2025). */
const EXACT_LO = T2025 - 2n ** 53n + 1n;
const EXACT_HI = T2025 + 2n ** 53n - 1n;

/** y, m, d of a day number since 0001-01-01 (H. Hinnant's civil_from_days). */
function civil(days: number): [number, number, number] {
  const z = days - 719_162 + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Day number since 0001-01-01 of y-m-d (days_from_civil). */
function dayNumber(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468 + 719_162;
}

const daysIn = (y: number, m: number) => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]);
const pad = (n: number | bigint, w: number) => String(n).padStart(w, "0");

function format(t: bigint): string {
  const [y, m, d] = civil(Number(t / TPD));
  const rest = t % TPD;
  const s = rest / 10_000_000n;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}T${pad(s / 3600n, 2)}:${pad((s / 60n) % 60n, 2)}:${pad(s % 60n, 2)}.${pad(rest % 10_000_000n, 7)}Z`;
}

/** The engine's datetime value of model ticks, and back. */
const value = (t: bigint) => DateTimeValue.fromEpochTicks(t - T1970);
const ticksOf = (v: DateTimeValue) => T1970 + v.epochTicks();
const floorDiv = (a: bigint, b: bigint) => (a >= 0n ? a / b : -((-a + b - 1n) / b));

function modelDateAdd(unit: DateTimeUnit, n: number, t: bigint): bigint {
  const months = unit === "year" ? 12 * n : unit === "quarter" ? 3 * n : unit === "month" ? n : undefined;
  if (months === undefined) return t + BigInt(n) * (UNIT[unit] ?? TPD); // dayofyear, weekday: days
  const [y, m, d] = civil(Number(t / TPD));
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  if (ny < 1 || ny > 9999) return -1n; // outside the datetime range
  return BigInt(dayNumber(ny, nm, Math.min(d, daysIn(ny, nm)))) * TPD + (t % TPD);
}

/** Boundaries of `unit` crossed from a to b (T-SQL DATEDIFF; weeks start on Sunday, 0001-01-01 was a Monday). */
function modelDateDiff(unit: DateTimeUnit, a: bigint, b: bigint): number {
  const [ya, ma] = civil(Number(a / TPD));
  const [yb, mb] = civil(Number(b / TPD));
  switch (unit) {
    case "year":
      return yb - ya;
    case "quarter":
      return yb * 4 + Math.floor((mb - 1) / 3) - (ya * 4 + Math.floor((ma - 1) / 3));
    case "month":
      return yb * 12 + mb - (ya * 12 + ma);
    case "week":
      return Number((b / TPD + 1n) / 7n - (a / TPD + 1n) / 7n);
    case "dayofyear":
    case "weekday":
      return Number(b / TPD - a / TPD);
    default:
      return Number(b / UNIT[unit] - a / UNIT[unit]);
  }
}

// ---------------------------------------------------------------------------------- generators

const anyTicks = fc.bigInt({ min: 0n, max: MAX_T });
const exactTicks = fc.bigInt({ min: EXACT_LO, max: EXACT_HI });
/** Instants the engine's event time holds exactly, kept clear of 0001/9999 and of 2⁵³. */
const eventTicks = fc.bigInt({ min: 730_000n * TPD, max: 745_000n * TPD });
const fixedUnit = fc.constantFrom("microsecond", "millisecond", "second", "minute", "hour");
const near = fc.constantFrom(-1n, 0n, 1n);

function events(times: bigint[], extra: (i: number) => RecordValue = () => ({})): InputEvent[] {
  return times.map((t, i) => ({ record: { T: format(t), ...extra(i) }, location: { file: "gen", line: i + 1 } }));
}

async function run(queryText: string, inputs: { alias: string; events: InputEvent[] }[]): Promise<RecordValue[]> {
  const result = await runQuery({ queryText, inputs, arrivalTime: 0 });
  return result.outputs.output ?? [];
}

const text = (v: unknown) => String(v);

// ------------------------------------------------------------------------------- text and values

describe("datetime text", () => {
  test("format → parse → format is the identity on every instant of 0001 … 9999, all seven digits", () => {
    fc.assert(
      fc.property(anyTicks, (t) => {
        const s = format(t);
        const parsed = parseDateTime(s);
        expect(parsed && ticksOf(parsed)).toBe(t);
        expect(parsed!.toString()).toBe(s);
        expect(value(t).toString()).toBe(s);
        expect(parseDateTimeValue(s)!.toString()).toBe(s);
      }),
      { numRuns: 500 },
    );
  });

  test("shorter fractions, a space for T, no zone and ±hh:mm offsets read as the model's instant", () => {
    fc.assert(
      fc.property(anyTicks, fc.integer({ min: 0, max: 7 }), fc.integer({ min: -14 * 60, max: 14 * 60 }), fc.boolean(), (t, digits, offsetMin, space) => {
        const cut = t - (t % 10n ** BigInt(7 - digits)); // the digits kept
        const local = cut + BigInt(offsetMin) * 600_000_000n; // the wall time at that offset
        if (local < 0n || local > MAX_T) return;
        const full = format(local);
        const body = `${full.slice(0, 10)}${space ? " " : "T"}${full.slice(11, 19)}${digits ? full.slice(19, 20 + digits) : ""}`;
        const zone = offsetMin === 0 ? "Z" : `${offsetMin < 0 ? "-" : "+"}${pad(Math.floor(Math.abs(offsetMin) / 60), 2)}:${pad(Math.abs(offsetMin) % 60, 2)}`;
        expect(ticksOf(parseDateTime(body + zone)!)).toBe(cut);
        if (offsetMin === 0) expect(ticksOf(parseDateTime(body)!)).toBe(cut);
      }),
      { numRuns: 500 },
    );
  });

  test("the per-event reader gives the exact instant (ticks since 2025) within ±2⁵³ ticks, and the datetime's instant everywhere", () => {
    fc.assert(
      fc.property(fc.oneof(exactTicks, anyTicks), (t) => {
        const s = format(t);
        const instant = parseDateTimeInstant(s)!;
        expect(instant).toBe(instantOf(parseDateTime(s)!));
        if (t >= EXACT_LO && t <= EXACT_HI) {
          expect(BigInt(instant)).toBe(t - T2025);
          expect(dateTimeOf(instant).toString()).toBe(s);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("datetime functions", () => {
  const units: DateTimeUnit[] = ["year", "quarter", "month", "dayofyear", "day", "week", "weekday", "hour", "minute", "second", "millisecond", "microsecond"];

  test("DATEADD of every unit is the model's calendar or tick arithmetic", () => {
    fc.assert(
      fc.property(anyTicks, fc.constantFrom(...units), fc.integer({ min: -100_000, max: 100_000 }), (t, unit, n) => {
        const expected = modelDateAdd(unit, n, t);
        if (expected < 0n || expected > MAX_T) {
          expect(() => dateAdd(unit, n, value(t))).toThrow(/datetime range/);
          return;
        }
        expect(dateAdd(unit, n, value(t)).toString()).toBe(format(expected));
      }),
      { numRuns: 1000 },
    );
  });

  test("DATEDIFF of every unit counts the model's boundaries, one tick either side of them included", () => {
    fc.assert(
      fc.property(anyTicks, anyTicks, fc.constantFrom(...units), near, (a, b0, unit, d) => {
        // Half the time b sits one tick around a boundary of the unit.
        const step = UNIT[unit] ?? TPD;
        const b = b0 % 2n === 0n ? b0 : ((b0 / step) * step + d + MAX_T) % MAX_T;
        expect(dateDiff(unit, value(a), value(b))).toBe(modelDateDiff(unit, a, b));
      }),
      { numRuns: 1000 },
    );
  });

  test("DATEPART of every part reads the model's calendar", () => {
    fc.assert(
      fc.property(anyTicks, (t) => {
        const days = Number(t / TPD);
        const [y, m, d] = civil(days);
        const rest = t % TPD;
        const v = value(t);
        expect([datePart("year", v), datePart("month", v), datePart("day", v), datePart("quarter", v)]).toEqual([y, m, d, Math.floor((m - 1) / 3) + 1]);
        expect(datePart("dayofyear", v)).toBe(days - dayNumber(y, 1, 1) + 1);
        expect(datePart("weekday", v)).toBe(((days + 1) % 7) + 1); // 0001-01-01 was a Monday: weekday 2
        expect([datePart("hour", v), datePart("minute", v), datePart("second", v)]).toEqual([Number(rest / 36_000_000_000n), Number((rest / 600_000_000n) % 60n), Number((rest / 10_000_000n) % 60n)]);
        expect([datePart("millisecond", v), datePart("microsecond", v)]).toEqual([Number((rest / 10_000n) % 1000n), Number((rest / 10n) % 1_000_000n)]);
      }),
      { numRuns: 500 },
    );
  });
});

// ----------------------------------------------------------------------------------- event time

describe("event time through the engine", () => {
  test("TIMESTAMP BY → System.Timestamp() and the column itself keep all seven digits", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(eventTicks, { minLength: 1, maxLength: 20 }), async (times) => {
        const rows = await run("SELECT T, System.Timestamp() AS S FROM input TIMESTAMP BY T", [{ alias: "input", events: events(times) }]);
        const expected = [...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((t) => ({ T: format(t), S: format(t) }));
        expect(rows.map((r) => ({ T: text(r.T), S: text(r.S) }))).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  test("window grids: the end alignUp gives is the model's next grid point of 0001-01-01 + offset + k·hop", () => {
    fc.assert(
      fc.property(eventTicks, fixedUnit, fc.integer({ min: 1, max: 5000 }), fc.nat(), near, (t0, unit, n, offsetSeed, d) => {
        const hop = UNIT[unit] * BigInt(n);
        const offset = BigInt(offsetSeed) % hop;
        // Often exactly on, or one tick around, a grid point.
        const t = offsetSeed % 2 === 0 ? t0 : ((t0 - offset) / hop) * hop + offset + d;
        const model = t - offset <= 0n ? offset : floorDiv(t - offset + hop - 1n, hop) * hop + offset;
        expect(BigInt(alignUp(Number(t - T2025), gridPhase(Number(hop), Number(offset)), Number(hop)))).toBe(model - T2025);
      }),
      { numRuns: 2000 },
    );
  });

  /** Event times: a few around one grid point of `step` (exactly on it, one tick either side) and some anywhere near. */
  const clustered = (step: bigint, base: bigint, picks: bigint[]) => picks.map((p) => ((base / step) * step + p));

  test("tumbling and hopping windows hold (end − size, end] to the tick, ends on the grid of 0001-01-01 + offset", async () => {
    await fc.assert(
      fc.asyncProperty(
        eventTicks,
        fixedUnit,
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(19),
        fc.array(fc.oneof(near, fc.bigInt({ min: -3_000_000_000n, max: 3_000_000_000n })), { minLength: 1, maxLength: 25 }),
        async (base, unit, hopN, ratio, offsetN, picks) => {
          const hop = BigInt(hopN);
          const size = hop * BigInt(ratio);
          const offset = BigInt(offsetN) % hop;
          const u = UNIT[unit];
          const times = clustered(hop * u, base, picks.map((p) => p + offset * u)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const window = ratio === 1 && offsetN % 2 === 0 ? `TumblingWindow(${unit}, ${hopN}, ${offsetN % hopN})` : `HoppingWindow(${unit}, ${size}, ${hopN}, ${offsetN % hopN})`;
          const rows = await run(`SELECT COUNT(*) AS N, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY ${window}`, [{ alias: "input", events: events(times) }]);
          const counts = new Map<bigint, number>();
          for (const t of times) {
            const h = hop * u;
            const o = (BigInt(offsetN) % hop) * u;
            for (let end = floorDiv(t - o + h - 1n, h) * h + o; end - size * u < t; end += h) counts.set(end, (counts.get(end) ?? 0) + 1);
          }
          const expected = [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([end, n]) => ({ E: format(end), N: n }));
          expect(rows.map((r) => ({ E: text(r.E), N: r.N }))).toEqual(expected);
        },
      ),
      { numRuns: 60 },
    );
  });

  test("sliding windows: one row per entry and exit, (t − size, t] to the tick", async () => {
    await fc.assert(
      fc.asyncProperty(eventTicks, fixedUnit, fc.integer({ min: 1, max: 10 }), fc.array(fc.oneof(near, fc.bigInt({ min: -30n, max: 30n })), { minLength: 1, maxLength: 15 }), async (base, unit, n, picks) => {
        const size = UNIT[unit] * BigInt(n);
        // Events exactly one window apart, and a tick either side of that.
        const times = picks.map((p, i) => base + BigInt(i % 3) * size + p).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const rows = await run(`SELECT COUNT(*) AS N, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY SlidingWindow(${unit}, ${n})`, [{ alias: "input", events: events(times) }]);
        const points = [...new Set([...times, ...times.map((t) => t + size)])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const expected: { E: string; N: number }[] = [];
        for (const p of points) {
          const count = times.filter((t) => t > p - size && t <= p).length;
          if (count) expected.push({ E: format(p), N: count });
        }
        expect(rows.map((r) => ({ E: text(r.E), N: r.N }))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  test("session windows: an event exactly a timeout after the last joins the session, one tick later starts a new one", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 730_000, max: 745_000 }), fixedUnit, fc.integer({ min: 1, max: 10 }), fc.array(fc.constantFrom(-1n, 0n, 1n, -5n), { minLength: 1, maxLength: 12 }), async (day, unit, n, gaps) => {
        const timeout = UNIT[unit] * BigInt(n);
        // Within the first half of one day, with a maximum duration of a day: only the timeout closes sessions.
        let t = BigInt(day) * TPD + 1n;
        const times = [t];
        for (const g of gaps) times.push((t += timeout + g));
        if (times[times.length - 1] - times[0] >= TPD / 2n) return;
        const rows = await run(`SELECT COUNT(*) AS N, System.Timestamp() AS E FROM input TIMESTAMP BY T GROUP BY SessionWindow(Timeout(${unit}, ${n}), MaxDuration(day, 1))`, [{ alias: "input", events: events(times) }]);
        const expected: { E: string; N: number }[] = [];
        let count = 1;
        for (let i = 1; i <= times.length; i++) {
          if (i < times.length && times[i] - times[i - 1] <= timeout) count++;
          else {
            expected.push({ E: format(times[i - 1] + timeout), N: count });
            count = 1;
          }
        }
        expect(rows.map((r) => ({ E: text(r.E), N: r.N }))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  test("LIMIT DURATION looks back over (t − duration, t], to the tick", async () => {
    await fc.assert(
      fc.asyncProperty(eventTicks, fixedUnit, fc.integer({ min: 1, max: 10 }), fc.array(fc.constantFrom(-1n, 0n, 1n, -7n, 3n), { minLength: 1, maxLength: 12 }), async (base, unit, n, steps) => {
        const duration = UNIT[unit] * BigInt(n);
        let t = base;
        const times = [t];
        for (const s of steps) times.push((t += duration + s));
        const rows = await run(`SELECT Id, LAG(Id) OVER (LIMIT DURATION(${unit}, ${n})) AS P FROM input TIMESTAMP BY T`, [{ alias: "input", events: events(times, (i) => ({ Id: i })) }]);
        const expected = times.map((t, i) => ({ Id: i, P: i > 0 && times[i - 1] > t - duration ? i - 1 : null }));
        expect(rows.map((r) => ({ Id: r.Id, P: r.P }))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  test("JOIN … DATEDIFF(unit, a, b) BETWEEN lo AND hi matches exactly the pairs lo·unit ≤ b − a ≤ hi·unit", async () => {
    await fc.assert(
      fc.asyncProperty(eventTicks, fixedUnit, fc.integer({ min: -5, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.array(near, { minLength: 1, maxLength: 6 }), fc.array(near, { minLength: 1, maxLength: 6 }), async (base, unit, lo, width, da, db) => {
        const u = UNIT[unit];
        const hi = lo + width;
        const as = da.map((d, i) => base + BigInt(i) * 3n * u + d);
        // Each b sits on a bound of some a, or one tick around it.
        const bs = db.map((d, i) => as[i % as.length] + BigInt(i % 2 === 0 ? lo : hi) * u + d).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
        const rows = await run(`SELECT a.Id AS A, b.Id AS B, System.Timestamp() AS S FROM A a TIMESTAMP BY T JOIN B b TIMESTAMP BY T ON DATEDIFF(${unit}, a, b) BETWEEN ${lo} AND ${hi}`, [
          { alias: "A", events: events(as, (i) => ({ Id: i })) },
          { alias: "B", events: events(bs, (i) => ({ Id: i })) },
        ]);
        const expected: string[] = [];
        as.forEach((a, i) => bs.forEach((b, j) => {
          if (b - a >= BigInt(lo) * u && b - a <= BigInt(hi) * u) expected.push(`${i}|${j}|${format(a > b ? a : b)}`);
        }));
        expect(rows.map((r) => `${r.A}|${r.B}|${text(r.S)}`).sort()).toEqual(expected.sort());
      }),
      { numRuns: 60 },
    );
  });

  test("cloud ordering: early arrival (5 min) and late arrival (5 s, adjust) decided to the tick", async () => {
    const early = 5n * UNIT.minute;
    const late = 5n * UNIT.second;
    await fc.assert(
      fc.asyncProperty(eventTicks, fc.array(fc.oneof(fc.constantFrom(early, -late), fc.constant(0n)).chain((b) => near.map((d) => b + d)), { minLength: 1, maxLength: 10 }), async (base, deltas) => {
        // Arrivals an hour apart: the events never overtake each other, only the two policies act.
        const arrivals = deltas.map((_, i) => base + BigInt(i) * 60n * UNIT.minute);
        const list: InputEvent[] = deltas.map((d, i) => ({ record: { Id: i, T: format(arrivals[i] + d), EventEnqueuedUtcTime: format(arrivals[i]) }, location: { file: "gen", line: i + 1 } }));
        const result = await runQuery({ queryText: "SELECT Id, System.Timestamp() AS S FROM input TIMESTAMP BY T", inputs: [{ alias: "input", events: list }], ordering: "cloud" });
        const expected = deltas.flatMap((d, i) => (d > early ? [] : [{ Id: i, S: format(d < -late ? arrivals[i] - late : arrivals[i] + d) }]));
        expect(result.outputs.output.map((r) => ({ Id: r.Id, S: text(r.S) }))).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });
});
