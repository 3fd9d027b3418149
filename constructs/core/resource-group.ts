import { Construct } from "constructs";
import { ResourceGroup } from "@cdktf/provider-azurerm/lib/resource-group";
import { applyCommonShapes, CommonResources, LockSpec, RoleAssignmentSpec } from "./shapes";
import { NAMING_RULES, validateName } from "./naming";

export interface StreamkitResourceGroupProps {
  name: string;
  location: string;
  tags?: Record<string, string>;
  /** e.g. the platform team as Reader, a deployment identity as Contributor. */
  roleAssignments?: RoleAssignmentSpec[];
  /** A `CanNotDelete` lock protects a production environment from a stray `destroy`. */
  lock?: LockSpec;
}

/** A resource group for one solution in one environment. */
export class StreamkitResourceGroup extends Construct {
  readonly resourceGroup: ResourceGroup;
  readonly common: CommonResources;

  constructor(scope: Construct, id: string, props: StreamkitResourceGroupProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.resourceGroup, props.name);
    // Tags exactly as given: the environment's tags already say who owns the group.
    this.resourceGroup = new ResourceGroup(this, "rg", { name: props.name, location: props.location, tags: props.tags });
    this.common = applyCommonShapes(this, this.resourceGroup.id, { roleAssignments: props.roleAssignments, lock: props.lock });
  }
}
