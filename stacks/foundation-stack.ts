import { Construct } from "constructs";
import { AzurermBackend, TerraformStack } from "cdktf";
import { addAzureProvider } from "../constructs/core/azure-provider";
import { StreamkitResourceGroup } from "../constructs/core/resource-group";
import type { EnvironmentSettings } from "./environments";

/** The smallest real stack: a provider and the environment's resource group. */
export class FoundationStack extends TerraformStack {
  readonly resourceGroup: StreamkitResourceGroup;

  constructor(scope: Construct, id: string, env: EnvironmentSettings) {
    super(scope, id);
    addAzureProvider(this, { subscriptionId: env.subscriptionId });
    if (env.backend) new AzurermBackend(this, { ...env.backend, key: `${id}.tfstate` });
    this.resourceGroup = new StreamkitResourceGroup(this, "rg", {
      name: `rg-${env.namePrefix}-streaming`,
      location: env.location,
      tags: env.tags,
    });
  }
}
