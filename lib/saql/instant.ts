// Event time inside the engine: an Instant, a whole number of 100 ns ticks (ASA's precision)
// since 2025-01-01T00:00:00Z, held in a plain JS number. docs/time.md gives the reasons:
//  - a double holds integers exactly up to 2⁵³, i.e. ±2⁵³ ticks ≈ ±28.5 years around the epoch
//    (1996-07 … 2053-06): every instant there is exact, and so are sums, differences and
//    remainders of instants and durations (all integers below 2⁵³);
//  - ticks since 0001-01-01 (.NET's DateTime.Ticks) or since 1970 would not fit in 2⁵³ for
//    today's dates, and float milliseconds cannot hold four decimals near 1.7·10¹²;
//  - outside that range an instant still has the 53-bit relative precision float milliseconds
//    had (whole seconds stay exact up to 2⁶⁰ ticks, back to 0001-01-01);
//  - a number, not a BigInt or a pair: event time is compared and subtracted per event.
// Windows are aligned to ASA's origin 0001-01-01, far outside that range: each grid's phase is
// computed once with BigInt (gridPhase), after which alignment is plain number arithmetic.
// Datetime values (DateTimeValue: ms since 1970 + ticks) are exact over the whole datetime range.
import * as values from "./values";
import type { DateTimeValue } from "./values";

// Bound once: an imported name is a module getter, read on every call of per-event code.
const DateTimeValueClass = values.DateTimeValue;

/** An instant: 100 ns ticks since 2025-01-01T00:00:00Z (INSTANT_EPOCH_MS). */
export type Instant = number;

export const TICKS_PER_MS = 10_000;
export const TICKS_PER_SECOND = 10_000_000;
export const TICKS_PER_DAY = 864_000_000_000;

/** 2025-01-01T00:00:00Z in ms since 1970: instant 0. */
export const INSTANT_EPOCH_MS = 1_735_689_600_000;

/** 0001-01-01T00:00:00Z, the origin windows are aligned to (739 251 days before the epoch; exact: a multiple of 2¹⁴). */
export const WINDOW_ORIGIN: Instant = -739_251 * TICKS_PER_DAY;

/** The instant of a datetime value (exact within ±2⁵³ ticks of the epoch). */
export function instantOf(value: DateTimeValue): Instant {
  return (value.ms - INSTANT_EPOCH_MS) * TICKS_PER_MS + value.ticks;
}

/** The instant of ms since 1970 (Date.now(), a JS Date's time). */
export function instantOfMs(ms: number): Instant {
  return Math.round((ms - INSTANT_EPOCH_MS) * TICKS_PER_MS);
}

/** Milliseconds since 1970 of an instant (sub-ms ticks as a fraction: for display and JS Dates only). */
export function msOfInstant(t: Instant): number {
  return INSTANT_EPOCH_MS + t / TICKS_PER_MS;
}

/** The datetime value of an instant. */
export function dateTimeOf(t: Instant): DateTimeValue {
  // For |t| < 2⁵³ the quotient's floor and the remainder are exact (a non-multiple of 10⁴ below
  // 2⁵³ never divides to a rounded integer); beyond, t is a multiple of its own ulp and the
  // remainder is brought back into 0 … 9999.
  let ms = Math.floor(t / TICKS_PER_MS);
  let ticks = t - ms * TICKS_PER_MS;
  if (!(ticks >= 0 && ticks < TICKS_PER_MS && Number.isInteger(ticks))) {
    ticks = Math.round(ticks);
    if (ticks < 0) {
      ms -= 1;
      ticks += TICKS_PER_MS;
    } else if (ticks >= TICKS_PER_MS) {
      ms += 1;
      ticks -= TICKS_PER_MS;
    }
  }
  return new DateTimeValueClass(INSTANT_EPOCH_MS + ms, ticks);
}

/**
 * The phase of the grid `WINDOW_ORIGIN + offset + k·step` (whole ticks): the grid point in
 * [0, step). Computed exactly with BigInt, once per window; then alignUp works on small numbers.
 */
export function gridPhase(step: number, offset = 0): number {
  const s = BigInt(step);
  let r = (BigInt(WINDOW_ORIGIN) + BigInt(offset)) % s;
  if (r < 0n) r += s;
  return Number(r);
}

/**
 * Smallest grid point `phase + k·step` that is ≥ t. Exact for integers below 2⁵³: a quotient of
 * two such integers that is not whole never rounds to a whole number, so its ceiling is exact
 * (and a division is much cheaper per event than `%` on doubles, a runtime call in V8).
 */
export function alignUp(t: Instant, phase: number, step: number): Instant {
  return phase + Math.ceil((t - phase) / step) * step;
}
