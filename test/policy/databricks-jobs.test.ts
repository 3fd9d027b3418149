// The Databricks job rules over hand-written Terraform JSON: where a job's clusters run and what
// it hands its code. The example stack keeps them (test/policy/stacks.test.ts); mutants of it
// break each (test/policy/mutants.test.ts).
import { checkStacks, type TerraformJson } from "../../lib/policy";

const WORKSPACE = { name: "dbw", custom_parameters: { no_public_ip: true }, public_network_access_enabled: false };
const PROVIDER = { databricks: [{ alias: "dbw", host: "https://${azurerm_databricks_workspace.w.workspace_url}", azure_workspace_resource_id: "${azurerm_databricks_workspace.w.id}" }] };

function job(body: Record<string, unknown>): TerraformJson {
  const task = { task_key: "t", job_cluster_key: "c", spark_python_task: { python_file: "/x.py", parameters: ["--path=abfss://a@b.dfs.core.windows.net/x/"] } };
  return {
    provider: PROVIDER,
    resource: {
      azurerm_databricks_workspace: { w: WORKSPACE },
      databricks_job: { j: { provider: "databricks.dbw", job_cluster: [{ job_cluster_key: "c", new_cluster: { policy_id: "${databricks_cluster_policy.p.id}", spark_version: "16.4.x-scala2.12" } }], task: [task], ...body } },
    },
  };
}

const findings = (json: TerraformJson) =>
  checkStacks([{ name: "s", file: "s.json", json }])
    .filter((f) => f.id.startsWith("databricks.job-"))
    .map((f) => `${f.id} ${f.attribute}${f.cannotVerify ? " (cannot verify)" : ""}`);

describe("databricks.job-cluster", () => {
  it("keeps a job on a policy-bound job cluster in a workspace of the stack", () => {
    expect(findings(job({}))).toEqual([]);
  });

  it("catches all-purpose clusters, job clusters without a policy, and task-level clusters without one", () => {
    const json = job({ existing_cluster_id: "0101-x", task: [{ task_key: "a", existing_cluster_id: "0101-y" }, { task_key: "b", new_cluster: { spark_version: "16.4.x-scala2.12" } }] });
    (json.resource!.databricks_job!.j!.job_cluster as any)[0].new_cluster.policy_id = "";
    expect(findings(json)).toEqual([
      "databricks.job-cluster existing_cluster_id",
      "databricks.job-cluster task[0].existing_cluster_id",
      "databricks.job-cluster job_cluster[0].new_cluster.policy_id",
      "databricks.job-cluster task[1].new_cluster.policy_id",
    ]);
  });

  it("cannot verify a job whose provider names no workspace, or one outside the stack", () => {
    const noWorkspace = job({});
    noWorkspace.provider = { databricks: [{ alias: "dbw", host: "https://adb-1.2.azuredatabricks.net" }] };
    expect(findings(noWorkspace)).toEqual(["databricks.job-cluster provider (cannot verify)"]);
    const elsewhere = job({});
    delete elsewhere.resource!.azurerm_databricks_workspace;
    expect(findings(elsewhere)).toEqual(["databricks.job-cluster provider (cannot verify)"]);
  });
});

describe("databricks.job-secret-parameters", () => {
  const withParameters = (parameters: string[], extra: Record<string, unknown> = {}) =>
    job({ task: [{ task_key: "t", job_cluster_key: "c", spark_python_task: { python_file: "/x.py", parameters } }], ...extra });

  it("catches secret-named parameters (inline or as a flag and its value), secret attributes and Key Vault values", () => {
    expect(findings(withParameters(["--client_secret=${var.s}", "--password", "${var.p}", "--conn=${azurerm_eventhub_namespace.n.default_primary_connection_string}", "--k=${azurerm_key_vault_secret.s.value}", "--path=x"]))).toEqual([
      "databricks.job-secret-parameters task[0].spark_python_task.parameters[0]",
      "databricks.job-secret-parameters task[0].spark_python_task.parameters[2]",
      "databricks.job-secret-parameters task[0].spark_python_task.parameters[3]",
      "databricks.job-secret-parameters task[0].spark_python_task.parameters[4]",
    ]);
  });

  it("reads notebook widgets, job parameters and cluster environment; a secret scope reference in Spark conf or the environment is the sanctioned way", () => {
    const json = job({
      task: [{ task_key: "t", job_cluster_key: "c", notebook_task: { notebook_path: "/n", base_parameters: { api_key: "${var.k}", secret_scope: "iot-secrets" } } }],
      parameter: [{ name: "token", default: "${var.t}" }],
      job_cluster: [{ job_cluster_key: "c", new_cluster: { policy_id: "p", spark_env_vars: { CLIENT_SECRET: "{{secrets/iot/sp}}", SAS_TOKEN: "${var.sas}" }, spark_conf: { "fs.azure.account.key": "{{secrets/iot/key}}" } } }],
    });
    expect(findings(json)).toEqual([
      "databricks.job-secret-parameters parameter[0].default",
      "databricks.job-secret-parameters task[0].notebook_task.base_parameters.api_key",
      "databricks.job-secret-parameters job_cluster[0].new_cluster.spark_env_vars.SAS_TOKEN",
    ]);
  });
});
