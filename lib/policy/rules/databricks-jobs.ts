// Databricks jobs (the Databricks provider's databricks_job): where their clusters run, and
// what they hand their code. On Azure a cluster's public IPs are the workspace's choice (secure
// cluster connectivity, `databricks.no-public-ip`): a job is held to running on job clusters
// under a cluster policy, in a workspace that choice can be checked on. Its parameters are
// visible to whoever can view the job and its runs, so no secret goes there, not even one read
// from a sensitive variable or Key Vault: the code reads secrets through a secret scope.
import { blocks, resourcesOf, show } from "../resources";
import { resourceRule } from "../rule-kit";
import type { ResourceView, Rule, RuleContext, Violation } from "../types";
import { SECRET_ATTRIBUTE_REF, SECRET_KEY } from "./secrets";

const JOB = "databricks_job";
const WORKSPACE = "azurerm_databricks_workspace";

type Body = Record<string, unknown>;
type Found = Omit<Violation, "address" | "constructPath">;

/** The job's clusters as (where, cluster body): job clusters, task-level and job-level new clusters. */
function newClusters(body: Body): { where: string; cluster: Body }[] {
  const out: { where: string; cluster: Body }[] = [];
  blocks(body, "job_cluster").forEach((jc, i) => blocks(jc, "new_cluster").forEach((c) => out.push({ where: `job_cluster[${i}].new_cluster`, cluster: c })));
  blocks(body, "task").forEach((task, i) => blocks(task, "new_cluster").forEach((c) => out.push({ where: `task[${i}].new_cluster`, cluster: c })));
  blocks(body, "new_cluster").forEach((c) => out.push({ where: "new_cluster", cluster: c }));
  return out;
}

/** The azurerm workspace a Databricks resource's provider points at: its address, or why it cannot be told. */
function workspaceOf(resource: ResourceView, context: RuleContext): { address?: string; why?: string } {
  const alias = typeof resource.body.provider === "string" ? /^databricks\.(.+)$/.exec(resource.body.provider)?.[1] : undefined;
  const configs = blocks(context.stack.json.provider as Body | undefined, "databricks");
  const config = configs.find((p) => (alias === undefined ? p.alias === undefined : p.alias === alias));
  const id = config?.azure_workspace_resource_id;
  if (typeof id !== "string") return { why: `its provider (${alias ? `databricks.${alias}` : "databricks"}) names no azure_workspace_resource_id` };
  const address = /^\$\{(azurerm_databricks_workspace\.[\w-]+)\.id\}$/.exec(id)?.[1];
  if (!address) return { why: `its workspace (${id}) is not in this stack` };
  return resourcesOf(context.stack, WORKSPACE).some((w) => w.address === address) ? { address } : { why: `its workspace (${address}) is not in this stack` };
}

const jobClusterRule = resourceRule({
  id: "databricks.job-cluster",
  family: "network-rules",
  severity: "high",
  title: "Databricks jobs run on job clusters under a cluster policy (no existing all-purpose cluster), in a workspace of the stack, whose no_public_ip the workspace rule checks",
  checkov: [],
  psrule: [],
  types: [JOB],
  check(resource, context) {
    const found: Found[] = [];
    const existing = [{ where: "existing_cluster_id", value: resource.body.existing_cluster_id }, ...blocks(resource.body, "task").map((t, i) => ({ where: `task[${i}].existing_cluster_id`, value: t.existing_cluster_id }))];
    for (const { where, value } of existing) {
      if (value === undefined || value === null || value === "") continue;
      found.push({ attribute: where, value, message: `${where} = ${show(value)}: the job runs on an all-purpose cluster, which no job policy governs and which may have been created with public IPs or without Unity Catalog`, fix: "run tasks on a job_cluster with a policy_id (SparkStreamingJob does)" });
    }
    for (const { where, cluster } of newClusters(resource.body)) {
      const policy = cluster.policy_id;
      if (policy === undefined || policy === null || policy === "") {
        found.push({ attribute: `${where}.policy_id`, message: `${where} has no policy_id: nothing holds its runtime, node type, access mode or size`, fix: "create a databricks_cluster_policy for the job and set policy_id (SparkStreamingJob does)" });
      }
    }
    const workspace = workspaceOf(resource, context);
    if (!workspace.address) {
      found.push({ attribute: "provider", value: resource.body.provider, cannotVerify: true, message: `cannot verify the job's clusters have no public IPs: ${workspace.why}`, fix: "declare the workspace (Databricks) in the same stack as its jobs, or waive this rule in code with the reason its workspace has no_public_ip = true" });
    }
    return found;
  },
});

/** `--name=value`, `--name value` and `name=value` in a parameter list, as (name, value) pairs. */
function listPairs(list: unknown[]): { name: string; value: string; index: number }[] {
  const out: { name: string; value: string; index: number }[] = [];
  list.forEach((item, i) => {
    if (typeof item !== "string") return;
    const inline = /^-{0,2}([A-Za-z_][\w.-]*)=([\s\S]*)$/.exec(item);
    if (inline) return void out.push({ name: inline[1]!, value: inline[2]!, index: i });
    const flag = /^--?([A-Za-z_][\w.-]*)$/.exec(item);
    const next = list[i + 1];
    if (flag && typeof next === "string" && !next.startsWith("-")) out.push({ name: flag[1]!, value: next, index: i + 1 });
    else out.push({ name: "", value: item, index: i });
  });
  return out;
}

/** Every parameter a job hands its code or its clusters: (attribute, name, value). */
function parametersOf(body: Body): { attribute: string; name: string; value: unknown }[] {
  const out: { attribute: string; name: string; value: unknown }[] = [];
  const fromMap = (where: string, map: unknown) => {
    for (const [name, value] of Object.entries((map as Body | undefined) ?? {})) out.push({ attribute: `${where}.${name}`, name, value });
  };
  const fromList = (where: string, list: unknown) => {
    if (Array.isArray(list)) for (const p of listPairs(list)) out.push({ attribute: `${where}[${p.index}]`, name: p.name, value: p.value });
  };
  blocks(body, "parameter").forEach((p, i) => out.push({ attribute: `parameter[${i}].default`, name: String(p.name ?? ""), value: p.default }));
  blocks(body, "task").forEach((task, i) => {
    for (const kind of ["spark_python_task", "spark_submit_task", "spark_jar_task", "python_wheel_task"]) blocks(task, kind).forEach((t) => fromList(`task[${i}].${kind}.parameters`, t.parameters));
    blocks(task, "python_wheel_task").forEach((t) => fromMap(`task[${i}].python_wheel_task.named_parameters`, t.named_parameters));
    blocks(task, "notebook_task").forEach((t) => fromMap(`task[${i}].notebook_task.base_parameters`, t.base_parameters));
  });
  for (const { where, cluster } of newClusters(body)) {
    fromMap(`${where}.spark_env_vars`, cluster.spark_env_vars);
    fromMap(`${where}.spark_conf`, cluster.spark_conf);
  }
  return out;
}

const KEY_VAULT_SECRET_REF = /\$\{(data\.)?azurerm_key_vault_secret\.[\w-]+\.value\}/;
/** `{{secrets/<scope>/<key>}}`: Databricks resolves it on the cluster (Spark conf, environment), never in the job's settings. */
const SECRET_SCOPE_REF = /^\{\{secrets\/[^/}]+\/[^/}]+\}\}$/;

const noSecretParametersRule = resourceRule({
  id: "databricks.job-secret-parameters",
  family: "literal-secret",
  severity: "high",
  title: "no secret in a Databricks job's parameters, widgets, Spark conf or environment: not a secret-named parameter, a key or connection string attribute, nor a Key Vault secret's value",
  checkov: [],
  psrule: [],
  types: [JOB],
  check(resource) {
    const found: Found[] = [];
    for (const { attribute, name, value } of parametersOf(resource.body)) {
      if (typeof value !== "string" || value === "") continue;
      const scopeRef = SECRET_SCOPE_REF.test(value) && /\.(spark_env_vars|spark_conf)\./.test(attribute);
      let why: string | undefined;
      if (KEY_VAULT_SECRET_REF.test(value)) why = "a Key Vault secret's value";
      else if (SECRET_ATTRIBUTE_REF.test(value)) why = "a key or connection string of another resource";
      else if (name !== "" && SECRET_KEY.test(name.replace(/[.-]/g, "_")) && !scopeRef) why = `a secret-named parameter ('${name}')`;
      if (why) {
        found.push({ attribute, value: "(redacted)", message: `${attribute} hands the job ${why}: job parameters are stored in the job's settings and shown to whoever can view the job and its runs`, fix: "grant the job's identity access instead (Unity Catalog, a service credential), or read the secret in the code from a Key Vault-backed secret scope (dbutils.secrets.get), handing only the scope's name" });
      }
    }
    return found;
  },
});

export const databricksJobRules: Rule[] = [jobClusterRule, noSecretParametersRule];
