// Rule shapes that recur across services: minimum TLS, local (key) authentication, a managed
// identity, public network access as the environment allows, and allow-all IP rules.
import { allowsInternet, describeCoverage } from "../ipv4";
import { blocks, settingOf, show } from "../resources";
import { cannotVerify, resourceRule, settingRule } from "../rule-kit";
import type { NetworkExposure, ResourceView, Rule, RuleContext, Severity, Violation } from "../types";

interface Ids {
  checkov?: string[];
  psrule?: string[];
}

/** 1.2 from `TLS1_2`, `1.2`, `Tls12`; 1.0 from `Tls`/`TLS1_0`; undefined when not a version. */
export function tlsVersion(value: string): number | undefined {
  const match = /^(?:tls)?\s*v?(\d)(?:[._]?(\d))?$/i.exec(value.trim());
  if (match) return Number(`${match[1]}.${match[2] ?? "0"}`);
  return /^tls$/i.test(value.trim()) ? 1.0 : undefined;
}

/** TLS 1.2 or later. `secure` is how 1.2 is spelt for this attribute; `defaultIsSecure`: the azurerm 4.x default is already 1.2. */
export function minTlsRule(o: Ids & { id: string; type: string; attribute: string; secure: string; defaultIsSecure: boolean }): Rule {
  return settingRule({
    id: o.id,
    family: "tls",
    severity: "high",
    title: `${o.attribute} is TLS 1.2 or later${o.defaultIsSecure ? " (unset: the azurerm 4.x default, 1.2)" : " and set"}`,
    checkov: o.checkov ?? [],
    psrule: o.psrule ?? [],
    types: [o.type],
    attribute: o.attribute,
    absent: o.defaultIsSecure ? undefined : "the service then accepts TLS 1.0 and 1.1",
    ok: (v) => typeof v === "string" && (tlsVersion(v) ?? 0) >= 1.2,
    problem: "clients may use TLS versions older than 1.2",
    fix: `set ${o.attribute} = ${JSON.stringify(o.secure)}`,
  });
}

/** Keys, SAS or SQL logins off. `on` is the value that allows them; absent means the azurerm default, which allows them. */
export function localAuthRule(o: Ids & { id: string; type: string; attribute: string; on: boolean; what: string; severity?: Severity }): Rule {
  return settingRule({
    id: o.id,
    family: "local-auth",
    severity: o.severity ?? "medium",
    title: `${o.attribute} = ${!o.on}: no ${o.what}, Entra ID only`,
    checkov: o.checkov ?? [],
    psrule: o.psrule ?? [],
    types: [o.type],
    attribute: o.attribute,
    absent: `the default allows ${o.what}`,
    ok: (v) => v === !o.on,
    problem: `${o.what} are allowed`,
    fix: `set ${o.attribute} = ${!o.on} and grant Entra ID identities RBAC roles`,
  });
}

/** A managed identity (system- or user-assigned). */
export function identityRule(o: Ids & { id: string; type: string; why: string }): Rule {
  return resourceRule({
    id: o.id,
    family: "managed-identity",
    severity: "medium",
    title: `an identity block: ${o.why}`,
    checkov: o.checkov ?? [],
    psrule: o.psrule ?? [],
    types: [o.type],
    check(resource, { stack }) {
      const setting = settingOf(resource.body, "identity.type", stack);
      const fix = `add identity { type = "SystemAssigned" } (${o.why})`;
      if (setting.kind === "expression") return [cannotVerify("identity.type", setting.value, fix)];
      if (setting.kind === "literal" && typeof setting.value === "string" && setting.value.trim() !== "") return undefined;
      return [{ attribute: "identity", message: "no managed identity", fix }];
    },
  });
}

/** How a resource's own firewall treats traffic nobody listed: `true` denies, `false` admits, an expression cannot be told. */
/** `fix`: how to make this firewall deny by default, when it is not a `default_action`. */
export type FirewallState = { denies: boolean; attribute: string; value: unknown; fix?: string } | { expression: true; attribute: string; value: unknown };

export interface PublicNetworkSpec extends Ids {
  id: string;
  type: string;
  /** Public endpoint on unless `public_network_access_enabled = false` (the azurerm default for most services). */
  publicByDefault: boolean;
  /** The resource's default-deny firewall, or undefined when the service has none. */
  firewall?(resource: ResourceView, context: RuleContext): FirewallState;
  /** For Databricks-like services without a firewall: the word for what opening means. */
  severity?: Severity;
}

/**
 * Public endpoints no more open than the environment allows: `disabled` = public access off;
 * `restricted` = off, or on behind a default-deny firewall; `enabled` = anything.
 */
export function publicNetworkRule(o: PublicNetworkSpec): Rule {
  return resourceRule({
    id: o.id,
    family: "public-network",
    severity: o.severity ?? "high",
    title: `public network access as the environment allows: off where it is \`disabled\`, ${o.firewall ? "else behind a default-deny firewall" : "else off (no firewall)"}`,
    checkov: o.checkov ?? [],
    psrule: o.psrule ?? [],
    types: [o.type],
    check(resource, context) {
      return exposureViolations(resource, context, o);
    },
  });
}

function exposureViolations(resource: ResourceView, context: RuleContext, o: PublicNetworkSpec): Omit<Violation, "address" | "constructPath">[] {
  const exposure: NetworkExposure = context.exposure;
  if (exposure === "enabled") return [];
  const attribute = "public_network_access_enabled";
  const setting = settingOf(resource.body, attribute, context.stack);
  const off = `set ${attribute} = false and reach it through a private endpoint`;
  if (setting.kind === "expression") return [cannotVerify(attribute, setting.value, off)];
  const publicOn = setting.kind === "literal" ? setting.value === true : o.publicByDefault;
  if (!publicOn) return [];
  const how = setting.kind === "literal" ? `${attribute} = true` : "public network access is on (the default)";
  const value = setting.kind === "literal" ? setting.value : undefined;
  if (exposure === "disabled") {
    return [{ attribute, value, message: `${how}, but this environment allows private endpoints only`, fix: off }];
  }
  if (!o.firewall) return [{ attribute, value, message: `${how} and this service has no default-deny firewall`, fix: `turn public access off in this environment (${off}), or declare the environment's publicNetworkAccess as enabled` }];
  const firewall = o.firewall(resource, context);
  if ("expression" in firewall) return [cannotVerify(firewall.attribute, firewall.value, "the firewall's default action Deny")];
  if (firewall.denies) return [];
  return [
    {
      attribute: firewall.attribute,
      value: firewall.value,
      message: `${how} with no default-deny firewall (${firewall.attribute} = ${show(firewall.value)})`,
      fix: `${firewall.fix ?? `set ${firewall.attribute} = "Deny" (let trusted Azure services and listed ranges through)`}, or turn public access off`,
    },
  ];
}

/** A firewall whose `default_action` lives in a block (`network_rules.default_action`). */
export function defaultActionFirewall(...paths: string[]): (resource: ResourceView, context: RuleContext) => FirewallState {
  return (resource, { stack }) => {
    for (const path of paths) {
      const setting = settingOf(resource.body, path, stack);
      if (setting.kind === "expression") return { expression: true, attribute: path, value: setting.value };
      if (setting.kind === "literal") return { denies: setting.value === "Deny", attribute: path, value: setting.value };
    }
    return { denies: false, attribute: paths[0]!, value: undefined };
  };
}

/** Where a resource lists the addresses its firewall admits. */
export type IpEntries = (resource: ResourceView) => { attribute: string; entries: unknown[] }[];

/** No allow rule, nor any set of them, admitting (nearly) the whole internet. */
export function allowAllRule(o: Ids & { id: string; type: string; entries: IpEntries }): Rule {
  return resourceRule({
    id: o.id,
    family: "network-rules",
    severity: "high",
    title: "no allowed IP rules that together admit half of IPv4 or more (any shape: 0.0.0.0/0, ranges, several CIDRs)",
    checkov: o.checkov ?? [],
    psrule: o.psrule ?? [],
    types: [o.type],
    check(resource, { stack }) {
      const out: Omit<Violation, "address" | "constructPath">[] = [];
      for (const { attribute, entries } of o.entries(resource)) {
        const resolved = entries.map((e) => (typeof e === "string" ? settingOf({ v: e }, "v", stack) : { kind: "literal" as const, value: e }));
        const strings = resolved.flatMap((s) => (s.kind === "literal" && typeof s.value === "string" ? [s.value] : []));
        const expressions = resolved.filter((s) => s.kind === "expression");
        const open = allowsInternet(strings);
        if (open) {
          out.push({ attribute, value: entries, message: `${attribute} admit ${describeCoverage(open.count)}: the whole internet, in effect`, fix: `list only the networks that need access in ${attribute}` });
        } else if (expressions.length > 0) {
          out.push(cannotVerify(attribute, entries, `${attribute} listing only the networks that need access`));
        }
      }
      return out;
    },
  });
}

/** `ip_rule { ip_mask, action = "Allow" }` blocks (Event Hubs, IoT Hub). */
export function allowedMasks(parent: Record<string, unknown> | undefined, key: string, maskKey: string): unknown[] {
  return blocks(parent, key)
    .filter((r) => r.action === undefined || r.action === "Allow" || (typeof r.action === "string" && r.action.includes("${")))
    .map((r) => r[maskKey])
    .filter((m) => m !== undefined);
}
