import { TerraformVariable, Testing } from "cdktf";
import { HdinsightKafka, HdinsightKafkaProps } from "../../../constructs/hdinsight/hdinsight-kafka";
import { StreamkitStorage } from "../../../constructs/storage/storage-account";
import { cleanupOutdirs, newStack, PLACEMENT, resourcesOf, synth, tf } from "../harness";

afterAll(cleanupOutdirs);

const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExampleKeyForTestsOnly streamkit";
const IDENTITY = { id: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/uai-kafka", principalId: "77777777-7777-7777-7777-777777777777" };

function build(props: Partial<HdinsightKafkaProps> = {}, sensitive = true) {
  const stack = newStack();
  const lake = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevkafka", containers: ["kafka"] });
  const password = new TerraformVariable(stack, "kafka_gateway_password", { type: "string", sensitive });
  new HdinsightKafka(stack, "kafka", {
    ...PLACEMENT,
    name: "hdi-skdev-kafka",
    storage: { storageAccount: lake, filesystem: "kafka" },
    identity: IDENTITY,
    gateway: { username: "kafkaadmin", password },
    ssh: { username: "kafkauser", publicKeys: [KEY] },
    network: { virtualNetworkId: "/vnet", subnetId: "/vnet/subnets/kafka" },
    ...props,
  });
  return stack;
}

describe("HdinsightKafka", () => {
  it("runs Kafka 3.2 on HDInsight 5.1 with TLS 1.2, encryption in transit, Gen2 storage by identity, no literal password", () => {
    const stack = build();
    const json = synth(stack);
    expect(json).toMatchSnapshot();
    expect(json).toHaveResourceWithProperties(tf("azurerm_hdinsight_kafka_cluster"), {
      name: "hdi-skdev-kafka",
      cluster_version: "5.1",
      tier: "Standard",
      tls_min_version: "1.2",
      encryption_in_transit_enabled: true,
      component_version: { kafka: "3.2" },
      gateway: { username: "kafkaadmin", password: "${var.kafka_gateway_password}" },
    });
    const [cluster] = resourcesOf(stack, "azurerm_hdinsight_kafka_cluster");
    expect(cluster.storage_account_gen2).toMatchObject({ is_default: true, managed_identity_resource_id: IDENTITY.id });
    expect(cluster.storage_account_gen2.filesystem_id).toMatch(/primary_dfs_endpoint\}kafka$/);
    expect(cluster.storage_account).toBeUndefined();
    expect(cluster.roles.worker_node).toMatchObject({ target_instance_count: 3, number_of_disks_per_node: 2, ssh_keys: [KEY], subnet_id: "/vnet/subnets/kafka" });
    expect(cluster.roles.worker_node.password).toBeUndefined();
    expect(resourcesOf(stack, "azurerm_role_assignment")[0]).toMatchObject({ role_definition_name: "Storage Blob Data Owner", principal_id: IDENTITY.principalId });
  });

  it("refuses literal or non-sensitive gateway passwords, missing SSH keys and fewer than 3 brokers", () => {
    expect(() => Testing.synth(build({ gateway: { username: "kafkaadmin", password: "Secret123!" as never } }), true)).toThrow(/never a literal/);
    expect(() => Testing.synth(build({}, false), true)).toThrow(/declared with sensitive: true/);
    expect(() => Testing.synth(build({ ssh: { username: "u", publicKeys: [] } }), true)).toThrow(/at least one key/);
    expect(() => Testing.synth(build({ ssh: { username: "u", publicKeys: ["not a key"] } }), true)).toThrow(/is not an SSH public key/);
    expect(() => Testing.synth(build({ brokers: { count: 2 } }), true)).toThrow(/at least 3 brokers/);
    expect(() => Testing.synth(build({ name: "hdi_kafka" }), true)).toThrow(/HDInsight cluster name 'hdi_kafka' is invalid/);
  });
});
