import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";

export interface StreamkitResourceGroupProps {
  name: string;
  location: string;
  tags?: Record<string, string>;
}

/** A resource group for one solution in one environment. */
export class StreamkitResourceGroup extends Construct {
  readonly resourceGroup: ResourceGroup;

  constructor(scope: Construct, id: string, props: StreamkitResourceGroupProps) {
    super(scope, id);
    this.resourceGroup = new ResourceGroup(this, "rg", { name: props.name, location: props.location, tags: props.tags });
  }
}
