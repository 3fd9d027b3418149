// The rules over hand-written Terraform JSON: each insecure setting is caught, each secure
// one passes, and findings carry the resource address.
import { checkStacks, formatFinding, tlsVersion, type Finding, type PolicyOptions, type TerraformJson } from "../../lib/policy";

const stack = (json: TerraformJson, name = "s") => ({ name, file: `${name}.json`, json });
const run = (json: TerraformJson, options?: PolicyOptions): Finding[] => checkStacks([stack(json)], options);
const summary = (findings: Finding[]) => findings.filter((f) => !f.waived).map((f) => `${f.rule} ${f.address}`);
/** Findings of some rule families only (the hand-written resources here have no diagnostic settings, soft delete, …). */
const of = (findings: Finding[], ...families: string[]) => findings.filter((f) => families.includes(f.rule));

const SECURE_STORAGE = {
  name: "st",
  min_tls_version: "TLS1_2",
  shared_access_key_enabled: false,
  local_user_enabled: false,
  allow_nested_items_to_be_public: false,
  public_network_access_enabled: true,
  network_rules: { default_action: "Deny", bypass: ["AzureServices"] },
};
const SECURE_NAMESPACE = {
  name: "ns",
  minimum_tls_version: "1.2",
  local_authentication_enabled: false,
  public_network_access_enabled: false,
  identity: { type: "SystemAssigned" },
};

describe("policy rules", () => {
  it("passes secure resources", () => {
    expect(of(run({ resource: { azurerm_storage_account: { a: SECURE_STORAGE }, azurerm_eventhub_namespace: { n: SECURE_NAMESPACE } } }), "tls", "local-auth", "public-network", "managed-identity", "literal-secret")).toEqual([]);
  });

  it("reads TLS versions in every service's spelling", () => {
    expect([tlsVersion("TLS1_2"), tlsVersion("1.2"), tlsVersion("Tls12"), tlsVersion("Tls"), tlsVersion("TLS1_0"), tlsVersion("1.1"), tlsVersion("TLS1_3"), tlsVersion("Disabled")]).toEqual([1.2, 1.2, 1.2, 1, 1, 1.1, 1.3, undefined]);
  });

  it("tls: catches old TLS, plain HTTP and an IoT hub without a minimum", () => {
    const findings = run({
      resource: {
        azurerm_storage_account: { a: { ...SECURE_STORAGE, min_tls_version: "TLS1_0", https_traffic_only_enabled: false } },
        azurerm_mssql_server: { s: { minimum_tls_version: "Disabled", public_network_access_enabled: false, azuread_administrator: [{ azuread_authentication_only: true }] } },
        azurerm_iothub: { h: { local_authentication_enabled: false, public_network_access_enabled: false } },
        azurerm_cosmosdb_account: { c: { minimal_tls_version: "Tls11", local_authentication_disabled: true, public_network_access_enabled: false } },
      },
    }).filter((f) => f.rule === "tls");
    expect(findings.map((f) => [f.id, f.address, f.message])).toEqual([
      ["storage.min-tls", "azurerm_storage_account.a", 'min_tls_version = "TLS1_0": clients may use TLS versions older than 1.2'],
      ["storage.https-only", "azurerm_storage_account.a", "https_traffic_only_enabled = false: plain HTTP is accepted"],
      ["iothub.min-tls", "azurerm_iothub.h", "min_tls_version is not set: the service then accepts TLS 1.0 and 1.1"],
      ["sql.min-tls", "azurerm_mssql_server.s", 'minimum_tls_version = "Disabled": clients may use TLS versions older than 1.2'],
      ["cosmos.min-tls", "azurerm_cosmosdb_account.c", 'minimal_tls_version = "Tls11": clients may use TLS versions older than 1.2'],
    ]);
    expect(findings[0]).toMatchObject({ severity: "high", checkov: ["CKV_AZURE_44"], psrule: ["Azure.Storage.MinTLS"], attribute: "min_tls_version", value: "TLS1_0", fix: 'set min_tls_version = "TLS1_2"' });
  });

  it("local-auth: catches keys on, defaults left on, SQL logins and ASA connection strings", () => {
    const findings = run({
      resource: {
        azurerm_storage_account: { a: { ...SECURE_STORAGE, shared_access_key_enabled: true } },
        azurerm_eventhub_namespace: { n: { ...SECURE_NAMESPACE, local_authentication_enabled: undefined } },
        azurerm_mssql_server: { s: { public_network_access_enabled: false } },
        azurerm_synapse_workspace: { w: { azuread_authentication_only: false, public_network_access_enabled: false } },
        azurerm_stream_analytics_stream_input_eventhub_v2: { i: { shared_access_policy_key: "${var.key}" } },
        azurerm_stream_analytics_output_blob: { o: { authentication_mode: "ConnectionString" } },
        azurerm_stream_analytics_output_mssql: { ok: { authentication_mode: "Msi" } },
      },
    }).filter((f) => f.rule === "local-auth");
    expect(findings.map((f) => `${f.id} ${f.address}`)).toEqual([
      "storage.shared-key azurerm_storage_account.a",
      "storage.sas-expiration azurerm_storage_account.a",
      "eventhubs.local-auth azurerm_eventhub_namespace.n",
      "sql.entra-only azurerm_mssql_server.s",
      "synapse.entra-only azurerm_synapse_workspace.w",
      "asa.msi azurerm_stream_analytics_stream_input_eventhub_v2.i",
      "asa.msi azurerm_stream_analytics_output_blob.o",
    ]);
    expect(findings[2]!.message).toMatch(/local_authentication_enabled is not set: the default allows SAS keys/);
    expect(findings[5]!.message).toMatch(/authentication_mode is not set: the default is ConnectionString/);
  });

  it("public-network: follows the environment's exposure", () => {
    const json: TerraformJson = {
      resource: {
        azurerm_storage_account: { firewalled: SECURE_STORAGE, open: { ...SECURE_STORAGE, network_rules: undefined } },
        azurerm_eventhub_namespace: { private: SECURE_NAMESPACE },
        azurerm_kusto_cluster: { k: {} },
        azurerm_mssql_server: { s: { minimum_tls_version: "1.2", azuread_administrator: { azuread_authentication_only: true } } },
        azurerm_mssql_firewall_rule: { world: { start_ip_address: "0.0.0.0", end_ip_address: "255.255.255.255" }, azure: { start_ip_address: "0.0.0.0", end_ip_address: "0.0.0.0" } },
      },
    };
    const only = (findings: Finding[]) => summary(findings.filter((f) => f.rule === "public-network"));
    expect(only(run(json, { publicNetworkAccess: "restricted" }))).toEqual(["public-network azurerm_storage_account.open", "public-network azurerm_kusto_cluster.k"]);
    expect(only(run(json, { publicNetworkAccess: "disabled" }))).toEqual([
      "public-network azurerm_storage_account.firewalled",
      "public-network azurerm_storage_account.open",
      "public-network azurerm_mssql_server.s",
      "public-network azurerm_kusto_cluster.k",
    ]);
    expect(only(run(json, { publicNetworkAccess: "enabled" }))).toEqual([]);
    expect(only(run(json, { publicNetworkAccess: (name) => (name === "s" ? "enabled" : "disabled") }))).toEqual([]);
    // A firewall rule admitting the internet is reported in every environment: to open a service, turn its firewall off.
    for (const exposure of ["disabled", "restricted", "enabled"] as const) {
      expect(run(json, { publicNetworkAccess: exposure }).filter((f) => f.id === "sql.firewall-allow-all").map((f) => f.address)).toEqual(["azurerm_mssql_firewall_rule.world"]);
    }
  });

  it("public-network: reports anonymous blob access in every environment", () => {
    const findings = run(
      {
        resource: {
          azurerm_storage_account: { a: { ...SECURE_STORAGE, allow_nested_items_to_be_public: undefined } },
          azurerm_storage_container: { c: { container_access_type: "blob" }, p: { container_access_type: "private" } },
        },
      },
      { publicNetworkAccess: "enabled" },
    );
    expect(summary(of(findings, "public-network"))).toEqual(["public-network azurerm_storage_account.a", "public-network azurerm_storage_container.c"]);
  });

  it("literal-secret: finds passwords, keys, connection strings, SAS tokens and private keys anywhere", () => {
    const findings = run({
      provider: { azurerm: [{ features: [{}], client_secret: "s3cr3t-value" }] },
      terraform: { backend: { azurerm: { storage_account_name: "sttf", key: "x.tfstate", access_key: "abc123==" } } },
      resource: {
        azurerm_mssql_server: { s: { administrator_login_password: "P@ssw0rd!", azuread_administrator: { azuread_authentication_only: true }, public_network_access_enabled: false } },
        azurerm_stream_analytics_output_blob: { o: { authentication_mode: "Msi", storage_account_key: "${var.k}" } },
        azurerm_app_setting_like: {
          x: { settings: { EVENTS: "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=AbCdEfGh1234567890=" } },
          y: { url: "https://st.blob.core.windows.net/c?sv=2022-11-02&ss=b&sig=AbCdEfGhIjKlMnOpQrSt%3D" },
          z: { pem: "-----BEGIN RSA PRIVATE KEY-----\nMIIB..." },
          ok: { partition_key: "deviceId", key_vault_key_id: "https://kv/keys/k", description: "rotate the password monthly" },
        },
        azurerm_key_vault_secret: { literal: { name: "sql", value: "hunter2hunter2" }, fromVar: { name: "sql2", value: "${var.sql_password}" } },
        // A harmless-looking variable whose value flows, through two locals, into a password.
        azurerm_synapse_workspace: { w: { azuread_authentication_only: true, sql_administrator_login_password: "${local.admin_pw}" } },
      },
      locals: { admin_pw: "${local.seed}", seed: "${var.initial_value}" },
      variable: {
        sql_password: { type: "string", sensitive: true, default: "hunter2" },
        api_key: { type: "string" },
        fine: { type: "string", sensitive: true },
        initial_value: { type: "string" },
      },
      output: {
        key: { value: "${azurerm_eventhub_namespace.n.default_primary_connection_string}" },
        safe: { value: "${azurerm_eventhub_namespace.n.default_primary_connection_string}", sensitive: true },
        name: { value: "${azurerm_eventhub_namespace.n.name}" },
      },
    }).filter((f) => f.rule === "literal-secret");
    expect(findings.map((f) => `${f.address}: ${f.message.split(":")[0]}`)).toEqual([
      "azurerm_mssql_server.s: administrator_login_password holds a literal secret",
      "azurerm_app_setting_like.x: settings.EVENTS contains a connection string with a key",
      "azurerm_app_setting_like.y: url contains a SAS token",
      "azurerm_app_setting_like.z: pem contains a private key",
      "azurerm_key_vault_secret.literal: value holds a literal secret",
      "provider.azurerm: 0.client_secret holds a literal secret",
      "terraform.backend.azurerm: access_key holds a literal secret",
      "var.sql_password: a secret variable has a default value",
      "output.key: the output exposes a key or connection string but is not sensitive",
      "var.api_key: the variable holds a secret but is not sensitive",
      "var.initial_value: the variable feeds azurerm_synapse_workspace.w.sql_administrator_login_password but is not sensitive",
    ]);
    expect(findings.map((f) => f.id)).toEqual([...Array(8).fill("secrets.literal"), "secrets.output", "secrets.variable-sensitive", "secrets.variable-sensitive"]);
  });

  it("managed-identity: every Stream Analytics job and Event Hubs namespace has one", () => {
    const findings = run({
      resource: {
        azurerm_stream_analytics_job: { j: { name: "asa" }, ok: { identity: { type: "SystemAssigned" } } },
        azurerm_eventhub_namespace: { n: { ...SECURE_NAMESPACE, identity: undefined } },
      },
    }).filter((f) => f.rule === "managed-identity");
    expect(findings.map((f) => `${f.id} ${f.address}`)).toEqual(["eventhubs.identity azurerm_eventhub_namespace.n", "asa.identity azurerm_stream_analytics_job.j"]);
  });

  it("waives findings by rule and address glob, and prints the address and construct path", () => {
    const json: TerraformJson = {
      resource: { azurerm_storage_account: { lake_account_1A2B: { ...SECURE_STORAGE, shared_access_key_enabled: true, "//": { metadata: { path: "dev/lake/account" } } } } },
    };
    const [finding] = run(json);
    expect(formatFinding(finding!)).toBe(
      "s: azurerm_storage_account.lake_account_1A2B (dev/lake/account): [storage.shared-key] shared_access_key_enabled = true: shared keys and SAS tokens are allowed; fix: set shared_access_key_enabled = false and grant Entra ID identities RBAC roles (medium, local-auth; Checkov CKV2_AZURE_40)",
    );
    expect(run(json, { waivers: [{ rule: "storage.shared-key", address: "*" }] })[0]!.waived).toBe(true);
    expect(run(json, { waivers: [{ rule: "local-auth", address: "azurerm_storage_account.lake_*" }] })[0]!.waived).toBe(true);
    expect(run(json, { waivers: [{ rule: "local-auth", address: "dev/lake/*" }] })[0]!.waived).toBe(true);
    expect(run(json, { waivers: [{ rule: "tls", address: "*" }] })[0]!.waived).toBeUndefined();
  });
});
