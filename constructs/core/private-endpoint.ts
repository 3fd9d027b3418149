// A private endpoint for one sub-resource of a service (sqlServer, namespace, dfs, blob,
// iotHub, Sql, ...), with its private DNS zone group so names resolve to the private IP.
import { Construct } from "constructs";
import { PrivateEndpoint } from "@cdktf/provider-azurerm/lib/private-endpoint";
import type { Placement } from "./shapes";

export interface PrivateEndpointSpec {
  /** The subnet the endpoint's network interface goes into. */
  subnetId: string;
  /** e.g. the id of `privatelink.database.windows.net`: without one, DNS must be managed elsewhere. */
  privateDnsZoneIds?: string[];
}

export function addPrivateEndpoint(
  scope: Construct,
  id: string,
  placement: Placement & { tags?: Record<string, string> },
  target: { resourceId: string; resourceName: string; subresource: string },
  spec: PrivateEndpointSpec,
): PrivateEndpoint {
  const name = `pe-${target.resourceName}-${target.subresource.toLowerCase()}`;
  return new PrivateEndpoint(scope, id, {
    name,
    resourceGroupName: placement.resourceGroupName,
    location: placement.location,
    subnetId: spec.subnetId,
    tags: placement.tags,
    privateServiceConnection: {
      name: `${name}-connection`,
      privateConnectionResourceId: target.resourceId,
      subresourceNames: [target.subresource],
      isManualConnection: false,
    },
    privateDnsZoneGroup: spec.privateDnsZoneIds?.length ? { name: "default", privateDnsZoneIds: spec.privateDnsZoneIds } : undefined,
  });
}
