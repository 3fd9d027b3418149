import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Databricks } from "../../../constructs/databricks/databricks";
import { SparkStreamingJob, type SparkStreamingJobProps } from "../../../constructs/databricks/spark-streaming-job";
import { SynapseSparkJob } from "../../../constructs/synapse/spark-job";
import { SynapseSparkPool } from "../../../constructs/synapse/spark-pool";
import { Synapse } from "../../../constructs/synapse/synapse";
import { StreamkitStorage } from "../../../constructs/storage/storage-account";
import { EventHubsNamespace } from "../../../constructs/eventhubs/event-hubs-namespace";
import { checkSparkCode } from "../../../lib/spark/code-check";
import { cleanupOutdirs, newStack, PLACEMENT, synthErrors, synthJson } from "../harness";

const dirs: string[] = [];
afterAll(() => {
  cleanupOutdirs();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const PARAMETERS = ["telemetry_bootstrap_servers", "telemetry_topic", "telemetry_consumer_group", "telemetry_service_credential", "bronze_path", "silver_path", "checkpoint_location", "trigger"];
const GOOD_CODE = `import argparse\nparser = argparse.ArgumentParser()\nfor name in ${JSON.stringify(PARAMETERS)}:\n    parser.add_argument(f"--{name}")\n`;

/** A project folder holding `pipelines/iot/<file>`. */
function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "streamkit-spark-"));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, "pipelines/iot"), { recursive: true });
    writeFileSync(join(dir, "pipelines/iot", name), text);
  }
  return dir;
}

function setup() {
  const stack = newStack();
  const lake = new StreamkitStorage(stack, "lake", { ...PLACEMENT, name: "stskdevlake", containers: ["bronze", "silver", "checkpoints"] });
  const events = new EventHubsNamespace(stack, "events", { ...PLACEMENT, name: "evhns-skdev-iot", hubs: [{ name: "telemetry", consumerGroups: ["databricks"] }] });
  const workspace = new Databricks(stack, "dbx", { ...PLACEMENT, name: "dbw-skdev-spark", publicNetworkAccess: "enabled" });
  return { stack, lake, hub: events.hub("telemetry"), workspace };
}

function job(overrides: Partial<SparkStreamingJobProps> = {}, code: Record<string, string> = { "main.py": GOOD_CODE }) {
  const s = setup();
  const made = new SparkStreamingJob(s.stack, "iot", {
    workspace: s.workspace,
    name: "iot-bronze-silver",
    projectDir: project(code),
    codeFile: `pipelines/iot/${Object.keys(code)[0]}`,
    cluster: { sparkVersion: "16.4.x-scala2.12", minWorkers: 1, maxWorkers: 4 },
    inputs: [{ alias: "telemetry", eventHub: s.hub, consumerGroup: "databricks" }],
    outputs: [
      { alias: "bronze", delta: { storageAccount: s.lake, container: "bronze", path: "telemetry" } },
      { alias: "silver", delta: { storageAccount: s.lake, container: "silver", path: "telemetry" } },
    ],
    checkpoint: { storageAccount: s.lake, container: "checkpoints" },
    trigger: { kind: "continuous" },
    alertEmails: ["oncall@example.com"],
    ...overrides,
  });
  return { ...s, job: made };
}


type Json = Record<string, any>;
const only = (json: Json, type: string): Json => {
  const all = Object.values(json.resource?.[type] ?? {}) as Json[];
  expect(all).toHaveLength(1);
  return all[0]!;
};
const all = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {}) as Json[];
/** `${type.name_ABCDEF12.attr}` → `${type.name.attr}`: hashes out of the way. */
const unhash = (s: string) => s.replace(/_[0-9A-F]{8}\b/g, "");

describe("SparkStreamingJob (Databricks)", () => {
  it("runs the repository's code as a continuous job on a policy-bound job cluster, as its service principal", () => {
    const { stack } = job();
    const json = synthJson(stack);
    expect(json).toMatchSnapshot();
    const dbJob = only(json, "databricks_job");
    const sp = only(json, "databricks_service_principal");
    expect(sp).toMatchObject({ display_name: "sp-iot-bronze-silver", allow_cluster_create: false, databricks_sql_access: false });
    const appId = "${databricks_service_principal.iot_service-principal.application_id}";
    expect(unhash(dbJob.run_as.service_principal_name)).toBe(appId);
    // Job cluster: policy, pinned runtime, Unity Catalog dedicated access for the job's identity, autoscaling.
    const cluster = dbJob.job_cluster[0].new_cluster;
    expect(unhash(cluster.policy_id)).toBe("${databricks_cluster_policy.iot_cluster-policy.id}");
    expect(cluster).toMatchObject({ spark_version: "16.4.x-scala2.12", data_security_mode: "SINGLE_USER", autoscale: { min_workers: 1, max_workers: 4 }, enable_local_disk_encryption: true });
    expect(unhash(cluster.single_user_name)).toBe(appId);
    expect(dbJob.existing_cluster_id).toBeUndefined();
    const policy = JSON.parse(unhash(only(json, "databricks_cluster_policy").definition));
    expect(policy).toMatchObject({
      cluster_type: { type: "fixed", value: "job" },
      spark_version: { type: "fixed", value: "16.4.x-scala2.12" },
      data_security_mode: { type: "fixed", value: "SINGLE_USER" },
      single_user_name: { type: "fixed", value: appId },
      "autoscale.min_workers": { type: "range", minValue: 1, maxValue: 4 },
      "autoscale.max_workers": { type: "range", minValue: 1, maxValue: 4 },
    });
    // Trigger, retries and alerts.
    expect(dbJob.continuous).toEqual({ pause_status: "UNPAUSED", task_retry_mode: "ON_FAILURE" });
    expect(dbJob.schedule).toBeUndefined();
    expect(dbJob.task[0].max_retries).toBeUndefined();
    expect(dbJob.email_notifications).toMatchObject({ on_failure: ["oncall@example.com"], on_streaming_backlog_exceeded: ["oncall@example.com"] });
    expect(dbJob.health.rules).toEqual([{ metric: "STREAMING_BACKLOG_SECONDS", op: "GREATER_THAN", value: 600 }]);
    expect(dbJob.max_concurrent_runs).toBe(1);
  });

  it("hands the code its inputs, outputs, checkpoint and trigger as parameters, and no secret", () => {
    const { stack, job: made } = job();
    const json = synthJson(stack);
    const task = only(json, "databricks_job").task[0];
    expect(unhash(task.spark_python_task.python_file)).toBe("${databricks_workspace_file.iot_code.path}");
    expect(task.spark_python_task.source).toBe("WORKSPACE");
    const params = task.spark_python_task.parameters.map(unhash);
    expect(params).toEqual([
      "--telemetry_bootstrap_servers=evhns-skdev-iot.servicebus.windows.net:9093",
      "--telemetry_topic=telemetry",
      "--telemetry_consumer_group=databricks",
      "--telemetry_service_credential=dbw_skdev_spark_connector_service",
      "--bronze_path=abfss://bronze@stskdevlake.dfs.core.windows.net/telemetry/",
      "--silver_path=abfss://silver@stskdevlake.dfs.core.windows.net/telemetry/",
      "--checkpoint_location=abfss://checkpoints@stskdevlake.dfs.core.windows.net/iot-bronze-silver/",
      "--trigger=continuous",
    ]);
    expect(made.checkpointLocation).toBe("abfss://checkpoints@stskdevlake.dfs.core.windows.net/iot-bronze-silver/");
    // The job model carries the same inputs and outputs as a Stream Analytics job's.
    expect(made.spec).toMatchObject({
      engine: "databricks",
      code: { file: "pipelines/iot/main.py", kind: "python" },
      inputs: [{ alias: "telemetry", kind: "eventhub", consumerGroup: "databricks" }],
      outputs: [{ alias: "bronze", kind: "adls", serialization: { type: "delta" } }, { alias: "silver", kind: "adls", serialization: { type: "delta" } }],
      trigger: "continuous",
    });
    // The code is uploaded from the repository and readable by the job's identity only.
    const file = only(json, "databricks_workspace_file");
    expect(file.path).toBe("/Shared/streamkit/jobs/iot-bronze-silver/main.py");
    expect(Buffer.from(file.content_base64, "base64").toString()).toBe(GOOD_CODE);
  });

  it("grants the job's identity exactly its folders and hubs, and the access connector per container and hub", () => {
    const { stack } = job();
    const json = synthJson(stack);
    const locations = all(json, "databricks_external_location").map((l) => l.url).sort();
    expect(locations).toEqual([
      "abfss://bronze@stskdevlake.dfs.core.windows.net/telemetry/",
      "abfss://checkpoints@stskdevlake.dfs.core.windows.net/iot-bronze-silver/",
      "abfss://silver@stskdevlake.dfs.core.windows.net/telemetry/",
    ]);
    expect(only(json, "databricks_storage_credential").azure_managed_identity.access_connector_id).toMatch(/azurerm_databricks_access_connector/);
    expect(only(json, "databricks_credential")).toMatchObject({ purpose: "SERVICE" });
    const grants = all(json, "databricks_grant").map((g) => [unhash(g.external_location ?? g.credential), g.privileges, unhash(g.principal)]);
    const appId = "${databricks_service_principal.iot_service-principal.application_id}";
    expect(grants.sort()).toEqual(
      [
        ["${databricks_credential.dbx_unity-catalog_service-credential.name}", ["ACCESS"], appId],
        ["${databricks_external_location.dbx_unity-catalog_location-stskdevlake_bronze_telemetry.name}", ["READ_FILES", "WRITE_FILES"], appId],
        ["${databricks_external_location.dbx_unity-catalog_location-stskdevlake_checkpoints_iot_bronze_silver.name}", ["READ_FILES", "WRITE_FILES"], appId],
        ["${databricks_external_location.dbx_unity-catalog_location-stskdevlake_silver_telemetry.name}", ["READ_FILES", "WRITE_FILES"], appId],
      ].sort(),
    );
    const roles = all(json, "azurerm_role_assignment").map((r) => [r.role_definition_name, unhash(r.scope)]);
    expect(roles.sort()).toEqual([
      ["Azure Event Hubs Data Receiver", "${azurerm_eventhub.events_hub-telemetry_hub.id}"],
      ["Storage Blob Data Contributor", "${azurerm_storage_account.lake_account.id}/blobServices/default/containers/bronze"],
      ["Storage Blob Data Contributor", "${azurerm_storage_account.lake_account.id}/blobServices/default/containers/checkpoints"],
      ["Storage Blob Data Contributor", "${azurerm_storage_account.lake_account.id}/blobServices/default/containers/silver"],
    ]);
    // The Databricks provider authenticates like azurerm: no token.
    const provider = (json as Json).provider.databricks[0];
    expect(provider).toMatchObject({ alias: "dbw-skdev-spark", host: expect.stringContaining("workspace_url") });
    expect(provider.token).toBeUndefined();
  });

  it("runs availableNow on a schedule with retries, a notebook with widget parameters, and a Key Vault-backed secret scope", () => {
    const notebook = `# Databricks notebook source\n${PARAMETERS.concat("secret_scope").map((p) => `dbutils.widgets.get("${p}")`).join("\n")}\n# COMMAND ----------\n# MAGIC %md notes\n`;
    const { stack } = job(
      {
        trigger: { kind: "availableNow", schedule: "0 0/15 * * * ?" },
        retries: { maxRetries: 2, minRetryIntervalMinutes: 10 },
        servicePrincipal: { applicationId: "11111111-2222-3333-4444-555555555555" },
        keyVaultSecretScope: { name: "iot-secrets", keyVaultId: "/kv", keyVaultUri: "https://kv-skdev.vault.azure.net/" },
        cluster: { sparkVersion: "16.4.x-scala2.12", minWorkers: 2, maxWorkers: 8, accessMode: "standard" },
      },
      { "notebook.py": notebook },
    );
    const json = synthJson(stack);
    expect(all(json, "databricks_service_principal")).toEqual([]);
    const dbJob = only(json, "databricks_job");
    expect(dbJob.run_as.service_principal_name).toBe("11111111-2222-3333-4444-555555555555");
    expect(dbJob.schedule).toEqual({ quartz_cron_expression: "0 0/15 * * * ?", timezone_id: "UTC", pause_status: "UNPAUSED" });
    expect(dbJob.continuous).toBeUndefined();
    expect(dbJob.task[0]).toMatchObject({ max_retries: 2, min_retry_interval_millis: 600000, retry_on_timeout: false });
    expect(dbJob.task[0].notebook_task.base_parameters).toMatchObject({ trigger: "availableNow", secret_scope: "iot-secrets", bronze_path: "abfss://bronze@stskdevlake.dfs.core.windows.net/telemetry/" });
    expect(dbJob.job_cluster[0].new_cluster).toMatchObject({ data_security_mode: "USER_ISOLATION", autoscale: { min_workers: 2, max_workers: 8 } });
    expect(dbJob.job_cluster[0].new_cluster.single_user_name).toBeUndefined();
    expect(only(json, "databricks_notebook")).toMatchObject({ path: "/Shared/streamkit/jobs/iot-bronze-silver/notebook", format: "SOURCE", language: "PYTHON" });
    expect(only(json, "databricks_secret_scope")).toMatchObject({ name: "iot-secrets", backend_type: "AZURE_KEYVAULT", keyvault_metadata: { resource_id: "/kv", dns_name: "https://kv-skdev.vault.azure.net/" } });
    expect(only(json, "databricks_secret_acl")).toMatchObject({ principal: "11111111-2222-3333-4444-555555555555", permission: "READ" });
  });

  it("shares the access connector's grants and external locations between jobs of a workspace", () => {
    const s = job();
    new SparkStreamingJob(s.stack, "gold", {
      workspace: s.workspace,
      name: "iot-gold",
      projectDir: project({ "gold.py": `import sys\nprint(sys.argv, "silver_path", "gold_path", "checkpoint_location", "trigger")\n` }),
      codeFile: "pipelines/iot/gold.py",
      cluster: { sparkVersion: "15.4.x-scala2.12", minWorkers: 1, maxWorkers: 2 },
      inputs: [{ alias: "silver", delta: { storageAccount: s.lake, container: "silver", path: "telemetry" } }],
      outputs: [{ alias: "gold", delta: { storageAccount: s.lake, container: "silver", path: "gold" } }],
      checkpoint: { storageAccount: s.lake, container: "checkpoints" },
      trigger: { kind: "continuous" },
      alertEmails: ["oncall@example.com"],
    });
    expect(synthErrors(s.stack)).toBe("");
    const json = synthJson(s.stack);
    expect(all(json, "azurerm_role_assignment").filter((r) => r.scope.endsWith("/containers/silver"))).toHaveLength(1);
    expect(all(json, "databricks_external_location").filter((l) => l.url === "abfss://silver@stskdevlake.dfs.core.windows.net/telemetry/")).toHaveLength(1);
    const readOnly = all(json, "databricks_grant").filter((g) => unhash(g.principal).includes("gold_service-principal") && g.privileges.length === 1);
    expect(readOnly.map((g) => unhash(g.external_location))).toEqual(["${databricks_external_location.dbx_unity-catalog_location-stskdevlake_silver_telemetry.name}"]);
  });
});

describe("SparkStreamingJob synth-time checks", () => {
  it("a missing code file fails at once, naming it", () => {
    const s = setup();
    expect(
      () =>
        new SparkStreamingJob(s.stack, "iot", {
          workspace: s.workspace, name: "iot", projectDir: project({}), codeFile: "pipelines/iot/missing.py",
          cluster: { sparkVersion: "16.4.x-scala2.12", minWorkers: 1, maxWorkers: 2 }, inputs: [], outputs: [],
          checkpoint: { storageAccount: s.lake, container: "checkpoints" }, trigger: { kind: "continuous" }, alertEmails: ["a@example.com"],
        }),
    ).toThrow("Spark job 'iot': code file not found: pipelines/iot/missing.py");
  });

  it("code that does not compile fails synth with file:line", () => {
    const { stack } = job({}, { "main.py": `${GOOD_CODE}def broken(:\n    pass\n` });
    expect(synthErrors(stack)).toContain("pipelines/iot/main.py:5: SyntaxError: invalid syntax");
  });

  it("a notebook cell that does not compile fails synth with its cell and line; magics are not Python", () => {
    const cells = [
      { cell_type: "markdown", source: ["# notes"] },
      { cell_type: "code", source: ["%pip install x\n", "import argparse\n", `print(${JSON.stringify(PARAMETERS)})\n`] },
      { cell_type: "code", source: ["%%sql\n", "SELECT 1 FROM x WHERE ("] },
      { cell_type: "code", source: ["x = 1\n", "if x\n"] },
    ];
    const { stack } = job({}, { "notebook.ipynb": JSON.stringify({ cells, nbformat: 4 }) });
    const errors = synthErrors(stack);
    expect(errors).toContain("pipelines/iot/notebook.ipynb (cell 4):2: SyntaxError: expected ':'");
    expect(errors).not.toContain("cell 2");
    expect(errors).not.toContain("cell 3");
  });

  it("a parameter the code never names fails synth, naming the parameter", () => {
    const code = GOOD_CODE.replace(`"silver_path",`, "");
    const { stack } = job({}, { "main.py": code });
    expect(synthErrors(stack)).toContain(`pipelines/iot/main.py: the job hands the code parameter 'silver_path', which the code never names (read it with argparse '--silver_path' or dbutils.widgets.get("silver_path"))`);
  });

  it("a plain .py declared where a notebook is needed, or a notebook that is not one, fails", () => {
    expect(checkSparkCode(join(project({ "a.ipynb": "{" }), "pipelines/iot/a.ipynb"), "a.ipynb", "notebook", []).errors[0]).toMatch(/^a\.ipynb: not a Jupyter notebook \(invalid JSON/);
    expect(checkSparkCode(join(project({ "a.py": "x = 1\n" }), "pipelines/iot/a.py"), "a.py", "notebook", []).errors).toEqual(["a.py: not a notebook: a .ipynb file, or a .py file that starts with '# Databricks notebook source'"]);
    expect(checkSparkCode(join(project({ "a.ipynb": '{"cells":[]}' }), "pipelines/iot/a.ipynb"), "a.ipynb", "python", []).errors).toEqual(["a.ipynb: is a notebook; declare it as a notebook, not a Python file"]);
  });

  it("without python3 the compile is skipped with a note, and the parameter check still runs", () => {
    const saved = process.env.STREAMKIT_PYTHON;
    process.env.STREAMKIT_PYTHON = "/nonexistent/python3";
    try {
      const dir = project({ "main.py": "def broken(:\n" });
      const result = checkSparkCode(join(dir, "pipelines/iot/main.py"), "pipelines/iot/main.py", "python", ["bronze_path"]);
      expect(result.notes).toEqual(["pipelines/iot/main.py: not compiled: no python3 on this machine (set STREAMKIT_PYTHON to an interpreter to check it)"]);
      expect(result.errors).toEqual([expect.stringContaining("parameter 'bronze_path'")]);
    } finally {
      if (saved === undefined) delete process.env.STREAMKIT_PYTHON;
      else process.env.STREAMKIT_PYTHON = saved;
    }
  });

  it("refuses an unpinned runtime, a runtime too old for Event Hubs service credentials, bad autoscaling, no alert address, retries on a continuous job", () => {
    expect(synthErrors(job({ cluster: { sparkVersion: "latest", minWorkers: 1, maxWorkers: 2 } }).stack)).toContain("cluster.sparkVersion 'latest' is not a pinned Databricks Runtime such as 16.4.x-scala2.12");
    expect(synthErrors(job({ cluster: { sparkVersion: "15.4.x-scala2.12", minWorkers: 1, maxWorkers: 2 } }).stack)).toContain("needs Databricks Runtime 16.1 or later, not 15.4.x-scala2.12");
    expect(synthErrors(job({ cluster: { sparkVersion: "16.4.x-scala2.12", minWorkers: 4, maxWorkers: 2 } }).stack)).toContain("autoscaling needs whole numbers 1 <= minWorkers <= maxWorkers (got 4-2)");
    expect(synthErrors(job({ alertEmails: [] }).stack)).toContain("alertEmails is empty");
    expect(synthErrors(job({ retries: { maxRetries: 1, minRetryIntervalMinutes: 1 } }).stack)).toContain("retries apply to scheduled (availableNow) jobs");
    expect(synthErrors(job({ trigger: { kind: "availableNow", schedule: "*/5 * * * *" } }).stack)).toContain("is not a Quartz cron expression");
  });

  it("refuses a consumer group the hub lacks, and an alias that is not a parameter name", () => {
    const s = setup();
    const errors = (inputs: SparkStreamingJobProps["inputs"]) => {
      const stack = setup();
      new SparkStreamingJob(stack.stack, "iot", {
        workspace: stack.workspace, name: "iot", projectDir: project({ "main.py": GOOD_CODE }), codeFile: "pipelines/iot/main.py",
        cluster: { sparkVersion: "16.4.x-scala2.12", minWorkers: 1, maxWorkers: 2 }, inputs: inputs.map((i) => ("eventHub" in i ? { ...i, eventHub: stack.hub } : i)),
        outputs: [{ alias: "bronze", delta: { storageAccount: stack.lake, container: "bronze", path: "t" } }],
        checkpoint: { storageAccount: stack.lake, container: "checkpoints" }, trigger: { kind: "continuous" }, alertEmails: ["a@example.com"],
      });
      return synthErrors(stack.stack);
    };
    expect(errors([{ alias: "telemetry", eventHub: s.hub, consumerGroup: "spark" }])).toContain("event hub 'telemetry' has no consumer group 'spark' (declared: databricks)");
    expect(errors([{ alias: "tele-metry", eventHub: s.hub, consumerGroup: "databricks" }])).toContain("Spark job 'iot': at inputs[0].alias: alias 'tele-metry' names the code's parameters: a parameter name is a Python identifier");
  });

  it("refuses overlapping external locations", () => {
    const s = setup();
    expect(() =>
      new SparkStreamingJob(s.stack, "iot", {
        workspace: s.workspace, name: "iot", projectDir: project({ "main.py": GOOD_CODE }), codeFile: "pipelines/iot/main.py",
        cluster: { sparkVersion: "16.4.x-scala2.12", minWorkers: 1, maxWorkers: 2 }, inputs: [{ alias: "all", delta: { storageAccount: s.lake, container: "bronze", path: "" } }],
        outputs: [{ alias: "bronze", delta: { storageAccount: s.lake, container: "bronze", path: "telemetry" } }],
        checkpoint: { storageAccount: s.lake, container: "checkpoints" }, trigger: { kind: "continuous" }, alertEmails: ["a@example.com"],
      }),
    ).toThrow("Databricks workspace 'dbw-skdev-spark': external location abfss://bronze@stskdevlake.dfs.core.windows.net/telemetry/ overlaps abfss://bronze@stskdevlake.dfs.core.windows.net/");
  });
});

describe("SynapseSparkJob", () => {
  it("fails with a clear error: azurerm 4.55 has no Synapse Spark job definition resource", () => {
    const s = setup();
    const synapse = new Synapse(s.stack, "synapse", { ...PLACEMENT, name: "syn-skdev-spark", filesystem: { storageAccount: s.lake, name: "bronze" }, entraAdmin: { loginUsername: "admins", objectId: "457ed8e3-2cb3-4ad7-a7c1-ae11e025a634" } });
    const pool = new SynapseSparkPool(s.stack, "pool", { workspace: synapse, name: "telemetry" });
    expect(() => new SynapseSparkJob(s.stack, "job", { pool, name: "iot", codeFile: "pipelines/iot/main.py", inputs: [], outputs: [] })).toThrow(
      "Synapse Spark job 'iot': Synapse Spark job definitions cannot be deployed: azurerm 4.55 (@cdktf/provider-azurerm 14.23.1, the last prebuilt binding) has no azurerm_synapse_spark_job_definition resource.",
    );
  });
});
