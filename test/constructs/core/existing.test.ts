// `fromExisting` on the engine constructs: a data source, no resource, and the same reference shape.
import { TerraformOutput } from "cdktf";
import { Databricks } from "../../../constructs/databricks/databricks";
import { DataExplorer } from "../../../constructs/dataexplorer/data-explorer";
import { HdinsightKafka } from "../../../constructs/hdinsight/hdinsight-kafka";
import { Synapse } from "../../../constructs/synapse/synapse";
import { cleanupOutdirs, newStack, synthJson } from "../harness";

afterAll(cleanupOutdirs);

describe("fromExisting", () => {
  it("reads Databricks, Data Explorer, HDInsight and Synapse through data sources", () => {
    const stack = newStack();
    const dbx = Databricks.fromExisting(stack, "dbx", { name: "dbw-shared", resourceGroupName: "rg-shared" });
    const adx = DataExplorer.fromExisting(stack, "adx", { clusterName: "adxshared", databaseName: "events", resourceGroupName: "rg-shared" });
    const hdi = HdinsightKafka.fromExisting(stack, "hdi", { name: "hdi-shared", resourceGroupName: "rg-shared" });
    const syn = Synapse.fromExisting(stack, "syn", { name: "syn-shared", resourceGroupName: "rg-shared" });
    new TerraformOutput(stack, "refs", { value: [dbx.workspaceUrl, adx.uri, adx.databaseId, hdi.httpsEndpoint, syn.id] });
    const json = synthJson(stack);
    expect(json.resource).toBeUndefined();
    expect(Object.keys(json.data ?? {}).sort()).toEqual([
      "azurerm_databricks_workspace",
      "azurerm_hdinsight_cluster",
      "azurerm_kusto_cluster",
      "azurerm_kusto_database",
      "azurerm_synapse_workspace",
    ]);
    expect(json.data?.azurerm_kusto_database?.["adx-database"]).toEqual({ name: "events", cluster_name: "adxshared", resource_group_name: "rg-shared" });
    expect(json.output?.refs.value).toEqual([
      "${data.azurerm_databricks_workspace.dbx.workspace_url}",
      "${data.azurerm_kusto_cluster.adx-cluster.uri}",
      "${data.azurerm_kusto_database.adx-database.id}",
      "${data.azurerm_hdinsight_cluster.hdi.https_endpoint}",
      "${data.azurerm_synapse_workspace.syn.id}",
    ]);
  });
});
