// What every example solution stack shares: the provider, a state backend per environment,
// the solution's resource group and Log Analytics workspace, and the settings its services
// take from the environment (tags, diagnostic settings, a lock where the environment wants one).
import { Construct } from "constructs";
import { AzurermBackend, TerraformStack } from "cdktf";
import { addAzureProvider } from "../constructs/core/azure-provider";
import { declarePublicNetworkAccess } from "../constructs/core/network-exposure";
import { declareProduction } from "../constructs/core/environment-profile";
import { StreamkitError } from "../lib/core/errors";
import { StreamkitResourceGroup } from "../constructs/core/resource-group";
import type { CommonProps } from "../constructs/core/shapes";
import type { AlertThresholds, JobAlertOptions } from "../constructs/job";
import { SolutionLogs } from "../constructs/pipeline";
import type { EnvironmentSettings } from "./environments";

/** Why the Stream Analytics solutions cannot run with public network access disabled. */
export const STREAM_ANALYTICS_NEEDS_PUBLIC_ENDPOINTS =
  "a Stream Analytics job outside a dedicated cluster reaches Event Hubs, storage and SQL through their public endpoints as a trusted Azure service (private endpoints need a Stream Analytics cluster with managed private endpoints, which this kit does not create)";

export interface SolutionStackProps {
  /** The environment's name in cdktf.json (`dev`, `prod`, …). */
  environment: string;
  settings: EnvironmentSettings;
  /** The project root: queries are read from here. */
  projectDir: string;
}

export abstract class SolutionStack extends TerraformStack {
  readonly settings: EnvironmentSettings;
  readonly environment: string;
  readonly projectDir: string;
  readonly resourceGroup: StreamkitResourceGroup;
  readonly logs: SolutionLogs;

  protected constructor(scope: Construct, id: string, solution: string, props: SolutionStackProps) {
    super(scope, id);
    this.settings = props.settings;
    this.environment = props.environment;
    this.projectDir = props.projectDir;
    // Before any construct: their defaults are stricter in production (cdktf.json `production`).
    declareProduction(this, props.settings.production);
    addAzureProvider(this, { subscriptionId: props.settings.subscriptionId });
    // `streamkit policy` holds the stack to its cdktf.json environment; this can only make it stricter.
    declarePublicNetworkAccess(this, props.settings.publicNetworkAccess);
    if (props.settings.backend) new AzurermBackend(this, { ...props.settings.backend, key: `${id}.tfstate`, useAzureadAuth: true });
    const prefix = props.settings.namePrefix;
    this.resourceGroup = new StreamkitResourceGroup(this, "rg", {
      name: `rg-${prefix}-${solution}`,
      location: props.settings.location,
      tags: this.tags,
    });
    this.logs = new SolutionLogs(this, "logs", {
      ...this.placement,
      name: `log-${prefix}-${solution}`,
      retentionDays: props.settings.logRetentionDays,
      tags: this.tags,
    });
  }

  /** What the environment allows the services' public endpoints to be (cdktf.json `publicNetworkAccess`). */
  get publicNetworkAccess(): EnvironmentSettings["publicNetworkAccess"] {
    return this.settings.publicNetworkAccess;
  }

  /** Stops a solution that needs public endpoints in an environment that allows private endpoints only. */
  protected requirePublicEndpoints(solution: string, why: string): void {
    if (this.settings.publicNetworkAccess !== "disabled") return;
    throw new StreamkitError(
      `environment '${this.environment}' allows private endpoints only (publicNetworkAccess: disabled), but the ${solution} solution cannot run that way: ${why}. Set publicNetworkAccess to 'restricted' for this environment (public endpoints behind default-deny firewalls)`,
      { jsonPath: `context.environments.${this.environment}.publicNetworkAccess` },
    );
  }

  get tags(): Record<string, string> {
    return { ...this.settings.tags, environment: this.environment };
  }

  get placement(): { resourceGroupName: string; location: string } {
    return { resourceGroupName: this.resourceGroup.resourceGroup.name, location: this.settings.location };
  }

  /** Placement, tags, logs to the solution's workspace, and the environment's lock. */
  get common(): CommonProps {
    return {
      ...this.placement,
      tags: this.tags,
      diagnosticSettings: { logAnalyticsWorkspaceId: this.logs.id },
      lock: this.settings.lock ? { level: "CanNotDelete" } : undefined,
    };
  }

  /** The environment's job sizing and alert pack. */
  get jobSettings(): { sku: "Standard" | "StandardV2"; streamingUnits: string | number; alerts: JobAlertOptions } {
    const { emailReceivers, ...rules } = this.settings.alerts;
    return {
      sku: this.settings.job.sku,
      streamingUnits: this.settings.job.streamingUnits,
      alerts: { emailReceivers, thresholds: rules as Partial<AlertThresholds> },
    };
  }
}
