import { Testing } from "cdktf";
import { AzureSql, AzureSqlProps } from "../../../constructs/sql/azure-sql";
import { createTableSql, sqlTypeProblem, tableProblems } from "../../../constructs/sql/table-definition";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf, synth, synthJson, tf, WORKSPACE_ID } from "../harness";

afterAll(cleanupOutdirs);

const ADMIN = { loginUsername: "sql-admins", objectId: "44444444-4444-4444-4444-444444444444" };
const TELEMETRY = {
  name: "dbo.telemetry",
  columns: [
    { name: "deviceId", sqlType: "nvarchar(64)", nullable: false },
    { name: "windowEnd", sqlType: "datetime2(3)", nullable: false },
    { name: "avgTemperature", sqlType: "float", nullable: true },
  ],
};
const BASE: AzureSqlProps = { ...PLACEMENT, serverName: "sql-skdev-streaming", databaseName: "telemetry", entraAdmin: ADMIN };

describe("AzureSql defaults", () => {
  const stack = newStack();
  const sql = new AzureSql(stack, "sql", { ...BASE, tables: [TELEMETRY] });
  const json = synth(stack);

  it("matches the snapshot", () => expect(json).toMatchSnapshot());

  it("has an Entra-only server with TLS 1.2 and a system identity, and no SQL login or password", () => {
    expect(json).toHaveResourceWithProperties(tf("azurerm_mssql_server"), {
      name: "sql-skdev-streaming",
      version: "12.0",
      minimum_tls_version: "1.2",
      public_network_access_enabled: true,
      azuread_administrator: { login_username: "sql-admins", object_id: ADMIN.objectId, azuread_authentication_only: true },
      identity: { type: "SystemAssigned" },
    });
    const [server] = resourcesOf(stack, "azurerm_mssql_server");
    expect(server.administrator_login).toBeUndefined();
    expect(server.administrator_login_password).toBeUndefined();
  });

  it("has an S0 database with TDE and no firewall rule", () => {
    expect(json).toHaveResourceWithProperties(tf("azurerm_mssql_database"), { name: "telemetry", sku_name: "S0", zone_redundant: false, transparent_data_encryption_enabled: true });
    expect(resourcesOf(stack, "azurerm_mssql_firewall_rule")).toEqual([]);
  });

  it("exposes the table for the job construct and its CREATE TABLE statement", () => {
    expect(sql.table("dbo.telemetry").columns.map((c) => c.name)).toEqual(["deviceId", "windowEnd", "avgTemperature"]);
    expect(sql.table("DBO.TELEMETRY")).toBe(sql.table("dbo.telemetry"));
    expect(() => sql.table("dbo.alerts")).toThrow(/declares no table 'dbo.alerts' \(declared: dbo.telemetry\)/);
    expect(sql.createTablesSql()).toBe(
      "CREATE TABLE [dbo].[telemetry] (\n    [deviceId] NVARCHAR(64) NOT NULL,\n    [windowEnd] DATETIME2(3) NOT NULL,\n    [avgTemperature] FLOAT NULL\n);\n",
    );
  });
});

describe("AzureSql options", () => {
  it("sets SKU, size, zone redundancy, firewall rules and Allow Azure services", () => {
    const stack = newStack();
    new AzureSql(stack, "sql", {
      ...BASE,
      sku: "GP_S_Gen5_2",
      maxSizeGb: 32,
      zoneRedundant: true,
      firewallRules: [{ name: "office", startIpAddress: "203.0.113.1", endIpAddress: "203.0.113.20" }],
      allowAzureServices: true,
    });
    expect(resourcesOf(stack, "azurerm_mssql_database")[0]).toMatchObject({ sku_name: "GP_S_Gen5_2", max_size_gb: 32, zone_redundant: true });
    const rules = resourcesOf(stack, "azurerm_mssql_firewall_rule").map((r) => [r.name, r.start_ip_address, r.end_ip_address]).sort();
    expect(rules).toEqual([
      ["AllowAllWindowsAzureIps", "0.0.0.0", "0.0.0.0"],
      ["office", "203.0.113.1", "203.0.113.20"],
    ]);
  });

  it("closes the public endpoint and adds a private endpoint with its DNS zone", () => {
    const stack = newStack();
    new AzureSql(stack, "sql", { ...BASE, publicNetworkAccess: "disabled", privateEndpoint: { subnetId: "/subnets/pe", privateDnsZoneIds: ["/zones/privatelink.database.windows.net"] } });
    expect(resourcesOf(stack, "azurerm_mssql_server")[0].public_network_access_enabled).toBe(false);
    expect(resourcesOf(stack, "azurerm_private_endpoint")[0]).toMatchObject({
      name: "pe-sql-skdev-streaming-sqlserver",
      subnet_id: "/subnets/pe",
      private_service_connection: { subresource_names: ["sqlServer"], is_manual_connection: false },
      private_dns_zone_group: { name: "default", private_dns_zone_ids: ["/zones/privatelink.database.windows.net"] },
    });
  });

  it("grants on the server, takes diagnostics from the database, locks the server", () => {
    const stack = newStack();
    new AzureSql(stack, "sql", {
      ...BASE,
      roleAssignments: [{ principalId: "55555555-5555-5555-5555-555555555555", role: "SQL DB Contributor" }],
      diagnosticSettings: { logAnalyticsWorkspaceId: WORKSPACE_ID },
      lock: { level: "CanNotDelete" },
      managedIdentities: { systemAssigned: false, userAssignedIds: ["/id/uai"] },
    });
    expect(resourcesOf(stack, "azurerm_role_assignment")[0].scope).toMatch(/azurerm_mssql_server/);
    // The database's logs and metrics; in production also the master database's, which carries the audit events.
    expect(resourcesOf(stack, "azurerm_monitor_diagnostic_setting").map((d) => d.target_resource_id).sort()).toEqual([
      expect.stringMatching(/^\$\{azurerm_mssql_database\.sql_database_\w+\.id\}$/),
      expect.stringMatching(/^\$\{azurerm_mssql_server\.sql_server_\w+\.id\}\/databases\/master$/),
    ]);
    expect(resourcesOf(stack, "azurerm_mssql_server_extended_auditing_policy")).toEqual([expect.objectContaining({ log_monitoring_enabled: true, retention_in_days: 90 })]);
    expect(resourcesOf(stack, "azurerm_management_lock")[0].scope).toMatch(/azurerm_mssql_server/);
    expect(resourcesOf(stack, "azurerm_mssql_server")[0].identity).toEqual({ type: "UserAssigned", identity_ids: ["/id/uai"] });
  });

  it("reuses an existing server and database", () => {
    const stack = newStack();
    const existing = AzureSql.fromExisting(stack, "shared", { serverName: "sql-shared", databaseName: "events", resourceGroupName: "rg-shared" });
    const data = synthJson(stack).data!;
    expect(data.azurerm_mssql_server?.["shared-server"]).toEqual({ name: "sql-shared", resource_group_name: "rg-shared" });
    expect(data.azurerm_mssql_database?.["shared-database"]).toMatchObject({ name: "events" });
    expect(existing.databaseName).toBe("events");
  });
});

describe("AzureSql checks at synth", () => {
  const failsWith = (props: Partial<AzureSqlProps>, message: RegExp) => {
    const stack = newStack();
    // Over-open firewall rules are refused at construction, the rest at synth.
    expect(() => {
      new AzureSql(stack, "sql", { ...BASE, ...props });
      Testing.synth(stack, true);
    }).toThrow(message);
  };

  it("rejects bad names, a missing admin, unreachable and over-open networks", () => {
    failsWith({ serverName: "SQL_Server" }, /SQL logical server name 'SQL_Server' is invalid/);
    failsWith({ databaseName: "bad/name" }, /SQL database name 'bad\/name' is invalid/);
    failsWith({ entraAdmin: undefined as never }, /entraAdmin needs loginUsername and objectId/);
    failsWith({ publicNetworkAccess: "disabled" }, /no privateEndpoint is declared/);
    failsWith({ publicNetworkAccess: "enabled", allowAzureServices: true }, /apply only when publicNetworkAccess is 'restricted'/);
    failsWith({ firewallRules: [{ name: "all", startIpAddress: "0.0.0.0", endIpAddress: "255.255.255.255" }] }, /whole internet/);
    failsWith({ firewallRules: [{ name: "almost", startIpAddress: "0.0.0.1", endIpAddress: "255.255.255.255" }] }, /firewallRules \[0\.0\.0\.1-255\.255\.255\.255\] admit 4,294,967,295 addresses, 100% of IPv4: the whole internet/);
    failsWith({ firewallRules: [{ name: "low", startIpAddress: "0.0.0.0", endIpAddress: "127.255.255.255" }, { name: "high", startIpAddress: "128.0.0.0", endIpAddress: "255.255.255.255" }] }, /whole internet/);
    failsWith({ firewallRules: [{ name: "x", startIpAddress: "10.0.0.300", endIpAddress: "10.0.0.1" }] }, /not an IPv4 address/);
  });

  it("rejects bad tables with the table and column named", () => {
    failsWith({ tables: [{ name: "t", columns: [{ name: "a", sqlType: "text", nullable: true }] }] }, /table 't' column 'a': 'text' is not a SQL type/);
    failsWith({ tables: [{ name: "t", columns: [{ name: "a", sqlType: "int", nullable: true }, { name: "A", sqlType: "int", nullable: true }] }] }, /column 'A' is declared twice/);
    failsWith({ tables: [{ name: "t", columns: [] }] }, /at least one column/);
    failsWith({ tables: [{ name: "t", columns: [{ name: "my col", sqlType: "int", nullable: true }] }] }, /SQL table or column name 'my col' is invalid/);
  });

  it("knows SQL Server types and their arguments", () => {
    for (const ok of ["bigint", "NVARCHAR(MAX)", "nvarchar(4000)", "varchar(8000)", "decimal(18,4)", "numeric(38)", "datetime2(7)", "datetimeoffset", "uniqueidentifier", "bit"]) {
      expect(sqlTypeProblem(ok)).toBeUndefined();
    }
    expect(sqlTypeProblem("nvarchar(4001)")).toMatch(/length is 1-4000 or max/);
    expect(sqlTypeProblem("nchar(max)")).toMatch(/nchar\(max\) does not exist/);
    expect(sqlTypeProblem("decimal(39,2)")).toMatch(/precision is 1-38/);
    expect(sqlTypeProblem("decimal(10,11)")).toMatch(/scale is 0-10/);
    expect(sqlTypeProblem("datetime2(8)")).toMatch(/0-7/);
    expect(sqlTypeProblem("int(4)")).toMatch(/int takes no arguments/);
    expect(tableProblems(TELEMETRY)).toEqual([]);
    expect(createTableSql({ name: "alerts", columns: [{ name: "id", sqlType: "bigint", nullable: true }] })).toMatch(/^CREATE TABLE \[dbo\]\.\[alerts\]/);
  });
});

describe("AzureSql in a non-production stack", () => {
  it("audits only when asked", () => {
    const dev = newStack("dev", { production: false });
    new AzureSql(dev, "sql", { ...BASE, diagnosticSettings: { logAnalyticsWorkspaceId: WORKSPACE_ID } });
    expect(resourcesOf(dev, "azurerm_mssql_server_extended_auditing_policy")).toEqual([]);
    const asked = newStack("dev", { production: false });
    new AzureSql(asked, "sql", { ...BASE, diagnosticSettings: { logAnalyticsWorkspaceId: WORKSPACE_ID }, auditing: true });
    expect(resourcesOf(asked, "azurerm_mssql_server_extended_auditing_policy")).toHaveLength(1);
  });
});
