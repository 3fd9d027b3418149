// Where a Stream Analytics job writes to Power BI. Power BI workspaces and datasets are not
// Azure resources (azurerm has none): ASA creates the dataset and table on first write, and
// a person grants the job's managed identity access to the workspace once (see
// `manualSteps()` and constructs/README.md). This construct holds and checks the settings.
import { Construct } from "constructs";
import { Token } from "cdktf";
import type { TableSpec } from "../../lib/job";

export interface PowerBiOutputProps {
  /** The Power BI workspace (group) id: a GUID from the workspace URL `app.powerbi.com/groups/<id>/...`. */
  workspaceId: string;
  /** The workspace name, shown to people (ASA's `group_name`). */
  workspaceName: string;
  /** Dataset ASA creates (or reuses) in the workspace. */
  dataset: string;
  /** Table in the dataset; ASA replaces its schema when the query's columns change. */
  table: string;
  /** Optional declared columns, to check the query's output against. */
  columns?: TableSpec["columns"];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class PowerBiOutput extends Construct {
  readonly workspaceId: string;
  readonly workspaceName: string;
  readonly dataset: string;
  readonly table: string;
  readonly tableSpec?: TableSpec;

  constructor(scope: Construct, id: string, props: PowerBiOutputProps) {
    super(scope, id);
    this.workspaceId = props.workspaceId;
    this.workspaceName = props.workspaceName;
    this.dataset = props.dataset;
    this.table = props.table;
    this.tableSpec = props.columns ? { name: props.table, columns: props.columns } : undefined;
    this.node.addValidation({ validate: () => this.checkProps(props) });
  }

  /**
   * What a person must do in Power BI before the job starts (no API of Azure Resource Manager
   * does it): let service principals use Power BI APIs, then make the job's identity a
   * Contributor of the workspace.
   */
  manualSteps(jobName: string): string[] {
    return [
      `In the Power BI admin portal (Tenant settings > Developer settings), enable "Service principals can use Fabric APIs" (or "Allow service principals to use Power BI APIs") for a security group that contains the managed identity of Stream Analytics job '${jobName}'.`,
      `In workspace '${this.workspaceName}' (${this.workspaceId}), choose "Manage access" and add the job's managed identity (search for '${jobName}') as Contributor (or Member).`,
      `Start the job: it creates dataset '${this.dataset}' with table '${this.table}' on its first write. Do not edit that dataset by hand: a push dataset created by ASA is replaced when the query's output schema changes.`,
    ];
  }

  private checkProps(props: PowerBiOutputProps): string[] {
    const problems: string[] = [];
    const where = `Power BI output '${this.node.id}'`;
    if (!Token.isUnresolved(props.workspaceId) && !GUID.test(props.workspaceId ?? "")) {
      problems.push(`${where}: workspaceId '${props.workspaceId}' is not a GUID (copy it from app.powerbi.com/groups/<workspaceId>/...; 'My workspace' cannot be used with a managed identity)`);
    }
    for (const [field, value] of [["workspaceName", props.workspaceName], ["dataset", props.dataset], ["table", props.table]] as const) {
      if (typeof value !== "string" || value.trim() === "") problems.push(`${where}: ${field} is required`);
      else if (value.length > 100) problems.push(`${where}: ${field} '${value}' is longer than 100 characters`);
    }
    const seen = new Set<string>();
    for (const column of props.columns ?? []) {
      const key = column.name.toLowerCase();
      if (seen.has(key)) problems.push(`${where}: column '${column.name}' is declared twice`);
      seen.add(key);
    }
    return problems;
  }
}
