// A throw-away project (a query, a Functions/ folder) and a stack with real service constructs,
// for the job construct's tests.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformStack, Testing } from "cdktf";
import { addAzureProvider } from "../../../constructs/core/azure-provider";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { StreamkitStorage } from "../../../constructs/storage/storage-account";
import { AzureSql } from "../../../constructs/sql/azure-sql";

export const PLACEMENT = { resourceGroupName: "rg-test", location: "westeurope" };

export const AGGREGATE_TABLE = {
  name: "dbo.Aggregates",
  columns: [
    { name: "deviceId", sqlType: "nvarchar(64)", nullable: true },
    { name: "windowEnd", sqlType: "datetime2", nullable: true },
    { name: "readings", sqlType: "bigint", nullable: true },
  ],
};

/** Directories and outdirs made by a test file; `cleanup()` in afterAll removes them. */
export class Scratch {
  private readonly dirs: string[] = [];

  project(query: string, functions: Record<string, string> = {}): string {
    const dir = mkdtempSync(join(tmpdir(), "streamkit-job-"));
    this.dirs.push(dir);
    mkdirSync(join(dir, "queries", "job", "Functions"), { recursive: true });
    writeFileSync(join(dir, "queries", "job", "query.asaql"), query);
    // `name` → Functions/name.js; `name.json` → Functions/name.json (ASA's function config).
    for (const [name, text] of Object.entries(functions)) {
      writeFileSync(join(dir, "queries", "job", "Functions", name.endsWith(".json") ? name : `${name}.js`), text);
    }
    return dir;
  }

  app(): App {
    const app = Testing.app();
    this.dirs.push(app.outdir);
    return app;
  }

  cleanup(): void {
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export interface Services {
  stack: TerraformStack;
  namespace: EventHubsNamespace;
  storage: StreamkitStorage;
  sql: AzureSql;
}

/** A stack with an Event Hubs namespace (hubs in, out), an ADLS account and an Azure SQL database. */
export function servicesStack(app: App, options: { allowAzureServices?: boolean } = {}): Services {
  const stack = new TerraformStack(app, "test");
  addAzureProvider(stack);
  const namespace = new EventHubsNamespace(stack, "eh", { ...PLACEMENT, name: "evhns-test-01", hubs: [{ name: "telemetry" }, { name: "alerts" }] });
  const storage = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "sttestlake01", containers: ["archive", "reference"] });
  const sql = new AzureSql(stack, "sql", {
    ...PLACEMENT,
    serverName: "sql-test-01",
    databaseName: "telemetry",
    entraAdmin: { loginUsername: "sql-admins", objectId: "00000000-0000-0000-0000-000000000001" },
    allowAzureServices: options.allowAzureServices ?? true,
    tables: [AGGREGATE_TABLE],
  });
  return { stack, namespace, storage, sql };
}

/** Resources of one Terraform type in a synthesized stack, by their logical ids. */
export function resourcesOfType(synthesized: string, type: string): Record<string, Record<string, unknown>> {
  const json = JSON.parse(synthesized) as { resource?: Record<string, Record<string, Record<string, unknown>>> };
  return json.resource?.[type] ?? {};
}
