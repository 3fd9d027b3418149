// IPv4 address sets: how much of the internet a list of firewall entries admits, whatever
// their shape (one address, CIDR blocks, start-end ranges), counted over their union so that
// two /1 blocks or 0.0.0.1-255.255.255.255 count as what they are: everything.

export const IPV4_SPACE = 2 ** 32;
/** A set admitting at least half of IPv4 (a /1) admits the internet, for any reviewer. */
export const ALLOW_ALL_THRESHOLD = 2 ** 31;

export interface Ipv4Range {
  /** First and last address, as unsigned 32-bit numbers, inclusive. */
  first: number;
  last: number;
}

const OCTETS = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function parseAddress(text: string): number | undefined {
  const m = OCTETS.exec(text.trim());
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!;
}

/** `10.0.0.1`, `10.0.0.0/8`, `10.0.0.1-10.0.0.9` (spaces allowed around `-`); undefined when not IPv4. */
export function parseRange(text: string): Ipv4Range | undefined {
  const dash = text.split("-");
  if (dash.length === 2) {
    const first = parseAddress(dash[0]!);
    const last = parseAddress(dash[1]!);
    return first !== undefined && last !== undefined && first <= last ? { first, last } : undefined;
  }
  const [address, bits, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const base = parseAddress(address ?? "");
  if (base === undefined) return undefined;
  if (bits === undefined) return { first: base, last: base };
  if (!/^\d{1,2}$/.test(bits) || Number(bits) > 32) return undefined;
  const size = 2 ** (32 - Number(bits));
  const first = Math.floor(base / size) * size;
  return { first, last: first + size - 1 };
}

/** The union of the ranges, merged and sorted. */
export function union(ranges: Ipv4Range[]): Ipv4Range[] {
  const sorted = [...ranges].sort((a, b) => a.first - b.first);
  const out: Ipv4Range[] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r.first <= last.last + 1) last.last = Math.max(last.last, r.last);
    else out.push({ ...r });
  }
  return out;
}

/** How many addresses the ranges admit together. */
export function coverage(ranges: Ipv4Range[]): number {
  return union(ranges).reduce((n, r) => n + (r.last - r.first + 1), 0);
}

/** Private, loopback, link-local, CGNAT and other non-internet blocks (RFC 6890). */
const NOT_PUBLIC: Ipv4Range[] = ["0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "224.0.0.0/3"].map(
  (cidr) => parseRange(cidr)!,
);

/** Public addresses among the ranges (what PSRule's FirewallIPRange counts). */
export function publicCoverage(ranges: Ipv4Range[]): number {
  let count = 0;
  for (const r of union(ranges)) {
    let inside = r.last - r.first + 1;
    for (const p of NOT_PUBLIC) inside -= Math.max(0, Math.min(r.last, p.last) - Math.max(r.first, p.first) + 1);
    count += inside;
  }
  return count;
}

/** `1 of 4294967296 addresses` → `100% of IPv4` style wording for messages. */
export function describeCoverage(count: number): string {
  const share = (count / IPV4_SPACE) * 100;
  return `${count.toLocaleString("en-US")} addresses, ${share >= 99.995 ? "100" : share.toFixed(2).replace(/\.?0+$/, "")}% of IPv4`;
}

/** Entries written as IPv4 that admit the internet together (undefined when they do not). */
export function allowsInternet(entries: string[]): { count: number } | undefined {
  const ranges = entries.map(parseRange).filter((r): r is Ipv4Range => r !== undefined);
  const count = coverage(ranges);
  return count >= ALLOW_ALL_THRESHOLD ? { count } : undefined;
}
