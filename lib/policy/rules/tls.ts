// TLS 1.2 or later on every endpoint that lets you choose, and no plain HTTP.
import { resourcesOf } from "../resources";
import type { Rule } from "../types";

/** Where each service keeps its minimum TLS version, and whether the azurerm 4.x default is already 1.2. */
const TLS_SETTINGS: Record<string, { attribute: string; defaultIsSecure: boolean }> = {
  azurerm_storage_account: { attribute: "min_tls_version", defaultIsSecure: true },
  azurerm_eventhub_namespace: { attribute: "minimum_tls_version", defaultIsSecure: true },
  azurerm_servicebus_namespace: { attribute: "minimum_tls_version", defaultIsSecure: true },
  azurerm_mssql_server: { attribute: "minimum_tls_version", defaultIsSecure: true },
  azurerm_cosmosdb_account: { attribute: "minimal_tls_version", defaultIsSecure: true },
  azurerm_redis_cache: { attribute: "minimum_tls_version", defaultIsSecure: true },
  // IoT Hub accepts TLS 1.0 and 1.1 unless min_tls_version is set.
  azurerm_iothub: { attribute: "min_tls_version", defaultIsSecure: false },
};

/** 1.2 from `TLS1_2`, `1.2`, `Tls12`; 1.0 from `Tls`/`TLS1_0`; undefined when not a version. */
export function tlsVersion(value: string): number | undefined {
  const match = /^(?:tls)?\s*v?(\d)(?:[._]?(\d))?$/i.exec(value.trim());
  if (match) return Number(`${match[1]}.${match[2] ?? "0"}`);
  return /^tls$/i.test(value.trim()) ? 1.0 : undefined;
}

export const tlsRule: Rule = {
  id: "tls",
  description: "TLS 1.2 or later; HTTPS only",
  check({ stack }) {
    const findings = [];
    for (const resource of resourcesOf(stack)) {
      const setting = TLS_SETTINGS[resource.type];
      if (setting) {
        const value = resource.body[setting.attribute];
        if (value === undefined || value === null) {
          if (!setting.defaultIsSecure) findings.push({ ...resource, message: `${setting.attribute} is not set, so TLS 1.0 and 1.1 are accepted: set it to 1.2` });
        } else if (typeof value === "string" && !value.includes("${")) {
          const version = tlsVersion(value);
          if (version === undefined || version < 1.2) findings.push({ ...resource, message: `${setting.attribute} is '${value}': require TLS 1.2 or later` });
        }
      }
      if (resource.type === "azurerm_storage_account" && resource.body.https_traffic_only_enabled === false) {
        findings.push({ ...resource, message: "https_traffic_only_enabled is false: plain HTTP is accepted" });
      }
    }
    return findings;
  },
};
