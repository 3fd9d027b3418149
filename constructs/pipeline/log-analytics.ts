// The Log Analytics workspace a solution's diagnostic settings send logs and metrics to.
// Entra ID only (no workspace keys): the diagnostic settings of Azure resources need none.
import { Construct } from "constructs";
import { LogAnalyticsWorkspace } from "@cdktf/provider-azurerm/lib/log-analytics-workspace";
import { addDiagnosticSetting, withDefaultTags, type Placement } from "../core/shapes";

export interface SolutionLogsProps extends Placement {
  name: string;
  /** 30-730 days. Default 30 (included in the price). */
  retentionDays?: number;
  tags?: Record<string, string>;
}

export class SolutionLogs extends Construct {
  readonly workspace: LogAnalyticsWorkspace;
  readonly id: string;

  constructor(scope: Construct, id: string, props: SolutionLogsProps) {
    super(scope, id);
    this.workspace = new LogAnalyticsWorkspace(this, "workspace", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: "PerGB2018",
      retentionInDays: props.retentionDays ?? 30,
      localAuthenticationEnabled: false,
      tags: withDefaultTags(props.tags),
    });
    this.id = this.workspace.id;
    // Its own audit log (who queried what) into itself.
    addDiagnosticSetting(this, "diagnostics", this.workspace.id, { logAnalyticsWorkspaceId: this.workspace.id });
  }
}
