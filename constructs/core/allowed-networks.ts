// Allowed address lists are refused at construction when they admit the internet, whatever
// their shape (0.0.0.0/0, 0.0.0.1-255.255.255.255, two /1 blocks, …): the same coverage the
// policy computes (lib/policy/ipv4.ts). To open a service, say so: publicNetworkAccess "enabled".
import { allowsInternet, describeCoverage } from "../../lib/policy/ipv4";

export function refuseAllowAll(where: string, what: string, entries: string[] | undefined): void {
  const open = allowsInternet(entries ?? []);
  if (!open) return;
  throw new Error(
    `${where}: ${what} [${(entries ?? []).join(", ")}] admit ${describeCoverage(open.count)}: the whole internet, in effect. List only the networks that need access, or set publicNetworkAccess: "enabled" if the service is meant to be open`,
  );
}
