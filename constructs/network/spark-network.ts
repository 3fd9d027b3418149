// The virtual network a Spark solution runs in: two subnets delegated to Azure Databricks (VNet
// injection: "host" and "container", each with a network security group, as Databricks
// requires) and one subnet for private endpoints. Databricks needs VNet injection to turn its
// workspace's public access off; the private-endpoint subnet is where the workspace and, in an
// environment without public access, every other service of the solution are reached.
import { Construct } from "constructs";
import { VirtualNetwork } from "@cdktf/provider-azurerm/lib/virtual-network";
import { Subnet } from "@cdktf/provider-azurerm/lib/subnet";
import { NetworkSecurityGroup } from "@cdktf/provider-azurerm/lib/network-security-group";
import { SubnetNetworkSecurityGroupAssociation } from "@cdktf/provider-azurerm/lib/subnet-network-security-group-association";
import { PrivateDnsZone } from "@cdktf/provider-azurerm/lib/private-dns-zone";
import { PrivateDnsZoneVirtualNetworkLink } from "@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link";
import type { PrivateEndpointSpec } from "../core/private-endpoint";
import { StreamkitError } from "../../lib/core/errors";
import { addDiagnosticSetting, applyCommonShapes, withDefaultTags, type CommonProps, type CommonResources } from "../core/shapes";
import type { DatabricksNetworkSpec } from "../databricks/databricks";

export interface SparkNetworkProps extends CommonProps {
  /** 2-64 letters, digits, '_', '.', '-'. */
  name: string;
  /** An IPv4 block of /20 or larger (e.g. `10.40.0.0/16`): two /22 Databricks subnets and a /24 for private endpoints. */
  addressSpace: string;
}

/** `a.b.c.d/n` → [address as a number, prefix]; undefined when malformed. */
function parseCidr(cidr: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined; // host bits set: not a network address
  return [address, prefix];
}

const format = (address: number, prefix: number) => `${[24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join(".")}/${prefix}`;

/** The `index`-th block of size /`prefix` inside the network at `base`. */
const block = (base: number, prefix: number, index: number) => format(base + index * 2 ** (32 - prefix), prefix);

export class SparkNetwork extends Construct {
  readonly virtualNetwork: VirtualNetwork;
  readonly hostSubnet: Subnet;
  readonly containerSubnet: Subnet;
  readonly privateEndpointSubnet: Subnet;
  readonly securityGroup: NetworkSecurityGroup;
  /** What `Databricks` takes as `network` (VNet injection). */
  readonly databricks: DatabricksNetworkSpec;
  /** The subnet id for `privateEndpoint(s)` of the solution's services. */
  readonly privateEndpointSubnetId: string;
  readonly common: CommonResources;
  /** Private DNS zones made so far, by zone name (`privatelink.dfs.core.windows.net`). */
  readonly dnsZones: Record<string, PrivateDnsZone> = {};
  private readonly props: SparkNetworkProps;

  constructor(scope: Construct, id: string, props: SparkNetworkProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}[A-Za-z0-9_]$/.test(props.name)) {
      throw new StreamkitError(`virtual network name '${props.name}' is invalid: 2-64 letters, digits, '_', '.' and '-', starting with a letter or digit, ending with a letter, digit or '_'`, undefined, "NETWORK");
    }
    const parsed = parseCidr(props.addressSpace);
    if (!parsed || parsed[1] > 20) {
      throw new StreamkitError(`virtual network '${props.name}': address space '${props.addressSpace}' must be an IPv4 network address of /20 or larger (e.g. 10.40.0.0/16)`, undefined, "NETWORK");
    }
    const [base] = parsed;
    this.props = props;
    const tags = withDefaultTags(props.tags);
    const placement = { resourceGroupName: props.resourceGroupName, location: props.location };
    this.virtualNetwork = new VirtualNetwork(this, "vnet", { ...placement, name: props.name, addressSpace: [props.addressSpace], tags });
    // Databricks adds the rules it needs to this group; it starts with Azure's defaults only.
    this.securityGroup = new NetworkSecurityGroup(this, "databricks-nsg", { ...placement, name: `nsg-${props.name}-databricks`, tags });
    const databricksSubnet = (sid: string, index: number) =>
      new Subnet(this, sid, {
        name: sid,
        resourceGroupName: props.resourceGroupName,
        virtualNetworkName: this.virtualNetwork.name,
        addressPrefixes: [block(base, 22, index)],
        // No implicit outbound internet: clusters without public IPs go out through Databricks' secure cluster connectivity.
        defaultOutboundAccessEnabled: false,
        delegation: [
          {
            name: "databricks",
            serviceDelegation: {
              name: "Microsoft.Databricks/workspaces",
              actions: [
                "Microsoft.Network/virtualNetworks/subnets/join/action",
                "Microsoft.Network/virtualNetworks/subnets/prepareNetworkPolicies/action",
                "Microsoft.Network/virtualNetworks/subnets/unprepareNetworkPolicies/action",
              ],
            },
          },
        ],
      });
    this.hostSubnet = databricksSubnet("databricks-host", 0);
    this.containerSubnet = databricksSubnet("databricks-container", 1);
    const host = new SubnetNetworkSecurityGroupAssociation(this, "host-nsg", { subnetId: this.hostSubnet.id, networkSecurityGroupId: this.securityGroup.id });
    const container = new SubnetNetworkSecurityGroupAssociation(this, "container-nsg", { subnetId: this.containerSubnet.id, networkSecurityGroupId: this.securityGroup.id });
    this.privateEndpointSubnet = new Subnet(this, "private-endpoints", {
      name: "private-endpoints",
      resourceGroupName: props.resourceGroupName,
      virtualNetworkName: this.virtualNetwork.name,
      // After the two /22s: the first /24 of the next /22.
      addressPrefixes: [block(base, 24, 8)],
      defaultOutboundAccessEnabled: false,
      privateEndpointNetworkPolicies: "Enabled",
    });
    this.databricks = {
      virtualNetworkId: this.virtualNetwork.id,
      publicSubnetName: this.hostSubnet.name,
      privateSubnetName: this.containerSubnet.name,
      publicSubnetNetworkSecurityGroupAssociationId: host.id,
      privateSubnetNetworkSecurityGroupAssociationId: container.id,
    };
    this.privateEndpointSubnetId = this.privateEndpointSubnet.id;
    this.common = applyCommonShapes(this, this.virtualNetwork.id, props);
    // The security group's own logs (rule events and counters), beside the network's.
    if (props.diagnosticSettings) addDiagnosticSetting(this, "nsg-diagnostics", this.securityGroup.id, props.diagnosticSettings);
  }

  /**
   * A private endpoint in this network whose name resolves privately inside it: the private DNS
   * zone of the service (e.g. `privatelink.servicebus.windows.net`), made once and linked to the
   * network. Without the zone, clients in the network would resolve the public address.
   */
  privateEndpointIn(zone: string): PrivateEndpointSpec {
    if (!/^privatelink\.[a-z0-9.-]+$/.test(zone)) throw new StreamkitError(`'${zone}' is not a private link DNS zone (privatelink.<service domain>)`, undefined, "NETWORK");
    let dns = this.dnsZones[zone];
    if (!dns) {
      const key = zone.replace(/^privatelink\./, "").replace(/\./g, "-");
      dns = new PrivateDnsZone(this, `dns-${key}`, { name: zone, resourceGroupName: this.props.resourceGroupName, tags: withDefaultTags(this.props.tags) });
      new PrivateDnsZoneVirtualNetworkLink(this, `dns-link-${key}`, {
        name: `${this.props.name}-link`,
        resourceGroupName: this.props.resourceGroupName,
        privateDnsZoneName: dns.name,
        virtualNetworkId: this.virtualNetwork.id,
        registrationEnabled: false,
        tags: withDefaultTags(this.props.tags),
      });
      this.dnsZones[zone] = dns;
    }
    return { subnetId: this.privateEndpointSubnetId, privateDnsZoneIds: [dns.id] };
  }
}
