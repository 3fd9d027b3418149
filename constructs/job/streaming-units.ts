// Streaming units a Stream Analytics job may run with. ASA accepts only certain values, and
// the REST API (which Terraform calls) counts V2 units in V1-sized integers:
// - Standard (SU V1): 1, 3, 6 and multiples of 6 (azurerm validates 1..120).
// - StandardV2 (SU V2): 1/3, 2/3, 1, 2, 3 … SU V2, sent to the API as 3, 7, 10, 20, 30 …
//   ("Understand streaming unit conversions and where they apply",
//   articles/stream-analytics/stream-analytics-streaming-unit-consumption.md). ASA goes up to
//   66 SU V2 (660), but azurerm 4.x validates `streaming_units` within 1-120, so 12 SU V2 (120)
//   is the most a job deployed through Terraform can ask for.
import { StreamkitError } from "../../lib/core/errors";

export type JobSku = "Standard" | "StandardV2";

/** The SU V2 sizes a person thinks in, and the integer the API wants for each. */
export const SU_V2_API_VALUES: ReadonlyMap<string, number> = new Map([
  ["1/3", 3],
  ["2/3", 7],
  ...Array.from({ length: 12 }, (_, i) => [String(i + 1), (i + 1) * 10] as [string, number]),
]);

export function validStreamingUnits(sku: JobSku): number[] {
  if (sku === "StandardV2") return [...SU_V2_API_VALUES.values()];
  return [1, 3, ...Array.from({ length: 20 }, (_, i) => (i + 1) * 6)];
}

/**
 * The API value for a job's streaming units. V2 jobs may give their size as ASA names it
 * ("1/3", "2/3", "1", "4"); a number is taken as the API value and must be a valid one.
 */
export function streamingUnitsFor(sku: JobSku, units: number | string): number {
  const valid = validStreamingUnits(sku);
  if (typeof units === "string") {
    const value = sku === "StandardV2" ? SU_V2_API_VALUES.get(units.trim()) : undefined;
    if (value === undefined) {
      throw new StreamkitError(
        sku === "StandardV2"
          ? `'${units}' is not an SU V2 size (use 1/3, 2/3 or a whole number 1-12; azurerm caps streaming_units at 120)`
          : `a Standard (SU V1) job gives its streaming units as a number, not '${units}'`,
        undefined,
        "JOB_STREAMING_UNITS",
      );
    }
    return value;
  }
  if (!valid.includes(units)) {
    const hint =
      sku === "StandardV2"
        ? "3 (1/3 SU V2), 7 (2/3), 10 (1), then multiples of 10 up to 120, azurerm's limit"
        : "1, 3, 6 and multiples of 6 up to 120";
    throw new StreamkitError(`${units} streaming units is not valid for a ${sku} job (valid: ${hint})`, undefined, "JOB_STREAMING_UNITS");
  }
  return units;
}
