import fc from "fast-check";
import { SU_V2_API_VALUES, streamingUnitsFor, validStreamingUnits } from "../../../constructs/job";

describe("streaming units", () => {
  it("V1 accepts 1, 3 and multiples of 6 up to 120, nothing else", () => {
    fc.assert(
      fc.property(fc.integer({ min: -10, max: 200 }), (n) => {
        const valid = n === 1 || n === 3 || (n >= 6 && n <= 120 && n % 6 === 0);
        if (valid) expect(streamingUnitsFor("Standard", n)).toBe(n);
        else expect(() => streamingUnitsFor("Standard", n)).toThrow(/not valid for a Standard job/);
      }),
    );
  });

  it("V2 takes ASA's sizes (1/3, 2/3, 1 … 12) and their API values 3, 7, 10 … 120 (azurerm's limit)", () => {
    expect(streamingUnitsFor("StandardV2", "1/3")).toBe(3);
    expect(streamingUnitsFor("StandardV2", "2/3")).toBe(7);
    expect(streamingUnitsFor("StandardV2", "1")).toBe(10);
    expect(streamingUnitsFor("StandardV2", "12")).toBe(120);
    expect(() => streamingUnitsFor("StandardV2", "13")).toThrow(/not an SU V2 size/);
    expect(validStreamingUnits("StandardV2")).toEqual([...SU_V2_API_VALUES.values()]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 700 }), (n) => {
        const valid = n === 3 || n === 7 || (n >= 10 && n <= 120 && n % 10 === 0);
        if (valid) expect(streamingUnitsFor("StandardV2", n)).toBe(n);
        else expect(() => streamingUnitsFor("StandardV2", n)).toThrow(/not valid for a StandardV2 job/);
      }),
    );
    expect(() => streamingUnitsFor("StandardV2", "1/2")).toThrow(/not an SU V2 size/);
    expect(() => streamingUnitsFor("Standard", "1/3")).toThrow(/gives its streaming units as a number/);
  });
});
