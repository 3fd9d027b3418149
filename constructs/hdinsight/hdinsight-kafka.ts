// An HDInsight Kafka cluster, for teams that need Apache Kafka itself rather than the Event
// Hubs Kafka endpoint. Storage is ADLS Gen2 through a user-assigned identity (no account
// key); the gateway password comes from a sensitive Terraform variable; nodes take SSH keys.
import { Construct } from "constructs";
import { TerraformVariable } from "cdktf";
import { HdinsightKafkaCluster } from "@cdktf/provider-azurerm/lib/hdinsight-kafka-cluster";
import { RoleAssignment } from "@cdktf/provider-azurerm/lib/role-assignment";
import { DataAzurermHdinsightCluster } from "@cdktf/provider-azurerm/lib/data-azurerm-hdinsight-cluster";
import { applyCommonShapes, CommonProps, CommonResources, withDefaultTags } from "../core/shapes";
import { NAMING_RULES, validateName } from "../core/naming";
import type { StorageAccountRef } from "../storage/storage-account";

export interface HdinsightKafkaProps extends CommonProps {
  name: string;
  /** Default `5.1` with Kafka `3.2`. */
  clusterVersion?: string;
  kafkaVersion?: string;
  /** The cluster's default filesystem, reached with `identity` (granted Storage Blob Data Owner on the account). */
  storage: { storageAccount: StorageAccountRef; filesystem: string };
  /** A user-assigned identity: its resource id and principal id. */
  identity: { id: string; principalId: string };
  /** Ambari/REST gateway login; the password must be a sensitive TerraformVariable. */
  gateway: { username: string; password: TerraformVariable };
  /** SSH login of every node, with public keys (no node password). */
  ssh: { username: string; publicKeys: string[] };
  /** Workers (brokers). Default 3, each with 2 managed disks. */
  brokers?: { count?: number; disksPerNode?: number; vmSize?: string };
  headVmSize?: string;
  zookeeperVmSize?: string;
  /** Subnet for every node; strongly recommended (clients in the VNet reach the brokers). */
  network?: { virtualNetworkId: string; subnetId: string; privateLink?: boolean };
}

export interface HdinsightClusterRef {
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  /** `<name>.azurehdinsight.net`. */
  readonly httpsEndpoint: string;
}

export class HdinsightKafka extends Construct implements HdinsightClusterRef {
  readonly cluster: HdinsightKafkaCluster;
  readonly storageAccess: RoleAssignment;
  readonly common: CommonResources;
  readonly id: string;
  readonly name: string;
  readonly resourceGroupName: string;
  readonly httpsEndpoint: string;

  static fromExisting(scope: Construct, id: string, props: { name: string; resourceGroupName: string }): HdinsightClusterRef {
    const data = new DataAzurermHdinsightCluster(scope, id, props);
    return { id: data.id, ...props, httpsEndpoint: data.httpsEndpoint };
  }

  constructor(scope: Construct, id: string, props: HdinsightKafkaProps) {
    super(scope, id);
    validateName(this, NAMING_RULES.hdinsightCluster, props.name);
    this.node.addValidation({ validate: () => this.checkProps(props) });
    const account = props.storage.storageAccount;
    this.storageAccess = new RoleAssignment(this, "storage-access", {
      scope: account.id,
      roleDefinitionName: "Storage Blob Data Owner",
      principalId: props.identity.principalId,
      principalType: "ServicePrincipal",
    });
    const net = props.network;
    const node = (vmSize: string) => ({
      vmSize,
      username: props.ssh.username,
      sshKeys: props.ssh.publicKeys,
      virtualNetworkId: net?.virtualNetworkId,
      subnetId: net?.subnetId,
    });
    const password = props.gateway.password instanceof TerraformVariable ? props.gateway.password.stringValue : "";
    this.cluster = new HdinsightKafkaCluster(this, "cluster", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      clusterVersion: props.clusterVersion ?? "5.1",
      tier: "Standard",
      tlsMinVersion: "1.2",
      encryptionInTransitEnabled: true,
      componentVersion: { kafka: props.kafkaVersion ?? "3.2" },
      gateway: { username: props.gateway.username, password },
      storageAccountGen2: {
        isDefault: true,
        storageResourceId: account.id,
        filesystemId: `${account.dfsEndpoint}${props.storage.filesystem}`,
        managedIdentityResourceId: props.identity.id,
      },
      roles: {
        headNode: node(props.headVmSize ?? "Standard_E4_v3"),
        workerNode: { ...node(props.brokers?.vmSize ?? "Standard_E4_v3"), targetInstanceCount: props.brokers?.count ?? 3, numberOfDisksPerNode: props.brokers?.disksPerNode ?? 2 },
        zookeeperNode: node(props.zookeeperVmSize ?? "Standard_A4_v2"),
      },
      network: net?.privateLink ? { privateLinkEnabled: true, connectionDirection: "Outbound" } : undefined,
      tags: withDefaultTags(props.tags),
      dependsOn: [this.storageAccess],
    });
    this.id = this.cluster.id;
    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.httpsEndpoint = this.cluster.httpsEndpoint;
    this.common = applyCommonShapes(this, this.cluster.id, props);
  }

  private checkProps(props: HdinsightKafkaProps): string[] {
    const problems: string[] = [];
    const where = `HDInsight Kafka cluster '${props.name}'`;
    const pw = props.gateway?.password as unknown;
    if (!(pw instanceof TerraformVariable)) problems.push(`${where}: gateway.password must be a TerraformVariable with sensitive: true, never a literal`);
    else if (pw.sensitive !== true) problems.push(`${where}: the variable holding gateway.password must be declared with sensitive: true`);
    if (/^(admin|administrator|root|guest)$/i.test(props.gateway?.username ?? "")) problems.push(`${where}: gateway username '${props.gateway.username}' is reserved`);
    if (!props.ssh?.publicKeys?.length) problems.push(`${where}: ssh.publicKeys needs at least one key (node passwords are not used)`);
    for (const key of props.ssh?.publicKeys ?? []) {
      if (!/^(ssh-rsa|ssh-ed25519|ecdsa-sha2-\S+) [A-Za-z0-9+/=]+/.test(key) && !key.includes("${")) problems.push(`${where}: '${key.slice(0, 20)}…' is not an SSH public key`);
    }
    const count = props.brokers?.count ?? 3;
    if (!Number.isInteger(count) || count < 3) problems.push(`${where}: Kafka needs at least 3 brokers, not ${count}`);
    const disks = props.brokers?.disksPerNode ?? 2;
    if (!Number.isInteger(disks) || disks < 1 || disks > 8) problems.push(`${where}: disksPerNode must be 1-8, not ${disks}`);
    return problems;
  }
}
