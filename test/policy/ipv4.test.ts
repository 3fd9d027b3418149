// IPv4 coverage of allow lists, against a brute-force oracle (every address counted in a Set)
// on random lists of CIDRs, ranges and single addresses, and at the allow-all threshold.
import fc from "fast-check";
import { ALLOW_ALL_THRESHOLD, allowsInternet, coverage, parseAddress, parseRange, publicCoverage, type Ipv4Range } from "../../lib/policy/ipv4";

const ip = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join(".");

/** An entry written the way firewalls take it, inside a window of 2048 addresses from `base`. */
const entry = (base: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: 2047 }).map((o) => ip(base + o)),
    fc.tuple(fc.integer({ min: 0, max: 2047 }), fc.integer({ min: 0, max: 300 })).map(([o, len]) => `${ip(base + o)}-${ip(Math.min(base + 2047, base + o + len))}`),
    fc.tuple(fc.integer({ min: 0, max: 2047 }), fc.integer({ min: 22, max: 32 })).map(([o, bits]) => `${ip(base + o)}/${bits}`),
  );

function bruteForce(ranges: Ipv4Range[], keep: (n: number) => boolean = () => true): number {
  const seen = new Set<number>();
  for (const r of ranges) for (let n = r.first; n <= r.last; n++) if (keep(n)) seen.add(n);
  return seen.size;
}

describe("IPv4 coverage", () => {
  it("counts the union of any entries like a brute-force count", () => {
    const base = parseAddress("198.51.96.0")!;
    fc.assert(
      fc.property(fc.array(entry(base), { maxLength: 12 }), (entries) => {
        const ranges = entries.map((e) => parseRange(e)!);
        expect(coverage(ranges)).toBe(bruteForce(ranges));
      }),
    );
  });

  it("counts public addresses like a brute-force count across the 10.0.0.0/8 and 172.16.0.0/12 edges", () => {
    const privateEdges = [parseAddress("9.255.252.0")!, parseAddress("172.15.252.0")!, parseAddress("172.31.252.0")!];
    const isPublic = (n: number) => !(n >>> 24 === 10 || (n >= parseAddress("172.16.0.0")! && n <= parseAddress("172.31.255.255")!));
    for (const base of privateEdges) {
      fc.assert(
        fc.property(fc.array(entry(base), { maxLength: 8 }), (entries) => {
          const ranges = entries.map((e) => parseRange(e)!);
          expect(publicCoverage(ranges)).toBe(bruteForce(ranges, isPublic));
        }),
        { numRuns: 50 },
      );
    }
  });

  it("reads CIDRs, ranges and addresses, and rejects what is not IPv4", () => {
    expect(parseRange("10.1.2.3/8")).toEqual({ first: parseAddress("10.0.0.0"), last: parseAddress("10.255.255.255") });
    expect(parseRange("0.0.0.0/0")).toEqual({ first: 0, last: 2 ** 32 - 1 });
    expect(parseRange(" 1.2.3.4 - 1.2.3.9 ")).toEqual({ first: parseAddress("1.2.3.4"), last: parseAddress("1.2.3.9") });
    for (const bad of ["1.2.3", "1.2.3.256", "1.2.3.4/33", "1.2.3.9-1.2.3.4", "2001:db8::/32", "*", "1.2.3.4/8/8"]) expect(parseRange(bad)).toBeUndefined();
  });

  it("calls half of IPv4 or more the internet, and not one address less", () => {
    expect(allowsInternet(["0.0.0.0/0"])).toEqual({ count: 2 ** 32 });
    expect(allowsInternet(["0.0.0.1-255.255.255.255"])).toEqual({ count: 2 ** 32 - 1 });
    expect(allowsInternet(["0.0.0.0/1", "128.0.0.0/1"])).toEqual({ count: 2 ** 32 });
    expect(allowsInternet(["128.0.0.0/1"])).toEqual({ count: ALLOW_ALL_THRESHOLD });
    expect(allowsInternet(["128.0.0.1-255.255.255.255"])).toBeUndefined();
    expect(allowsInternet(["0.0.0.0/2", "64.0.0.0/3", "96.0.0.0/3"])).toEqual({ count: ALLOW_ALL_THRESHOLD });
    // Overlaps count once: two copies of a /2 are still a quarter.
    expect(allowsInternet(["0.0.0.0/2", "0.0.0.0/2", "32.0.0.0/3"])).toBeUndefined();
    expect(allowsInternet(["203.0.113.0/24", "not-an-ip"])).toBeUndefined();
  });
});
