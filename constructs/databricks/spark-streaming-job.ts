// A Spark Structured Streaming job on Azure Databricks whose code is a file of the repository
// (`pipelines/<name>/main.py`, or a notebook), deployed with the Databricks provider: a job
// cluster under its own cluster policy (Unity Catalog access mode, pinned Spark version,
// autoscaling bounds), run as a service principal that Unity Catalog grants exactly the folders
// and the event hubs it uses. Inputs and outputs are declared like a Stream Analytics job's and
// reach the code as job parameters (never a secret); its model is `SparkJobSpec` (lib/job).
import { existsSync, readFileSync } from "node:fs";
import { basename, extname, isAbsolute, join, relative, resolve } from "node:path";
import { Construct } from "constructs";
import { Annotations } from "cdktf";
import { Job } from "@cdktf/provider-databricks/lib/job";
import { ClusterPolicy } from "@cdktf/provider-databricks/lib/cluster-policy";
import { ServicePrincipal } from "@cdktf/provider-databricks/lib/service-principal";
import { WorkspaceFile } from "@cdktf/provider-databricks/lib/workspace-file";
import { Notebook } from "@cdktf/provider-databricks/lib/notebook";
import { Grant } from "@cdktf/provider-databricks/lib/grant";
import { Permissions } from "@cdktf/provider-databricks/lib/permissions";
import { SecretScope } from "@cdktf/provider-databricks/lib/secret-scope";
import { SecretAcl } from "@cdktf/provider-databricks/lib/secret-acl";
import { StreamkitError } from "../../lib/core/errors";
import { deltaPathParameter, eventHubParameters, parseSparkJobSpec, type InputSpec, type OutputSpec, type SparkJobSpec, type SparkTrigger } from "../../lib/job";
import { checkSparkCode, isNotebookFile } from "../../lib/spark/code-check";
import { withDefaultTags } from "../core/shapes";
import type { EventHubRef } from "../eventhubs/event-hub";
import type { Databricks } from "./databricks";
import { abfssUrl, type LakeFolder } from "./unity-catalog";

/** An input: an event hub read through its Kafka endpoint, or a Delta table's folder. */
export type SparkJobInput =
  | { alias: string; eventHub: EventHubRef; /** The hub's consumer group reserved for this job. */ consumerGroup: string; partitionCount?: number }
  | { alias: string; delta: LakeFolder };

/** An output: a Delta table's folder. */
export interface SparkJobOutput {
  alias: string;
  delta: LakeFolder;
}

export type SparkJobTriggerProps =
  /** Runs all the time; Databricks restarts a failed run with exponential backoff. */
  | { kind: "continuous" }
  /** Runs on a schedule (Quartz cron) and processes what arrived since the last run. */
  | { kind: "availableNow"; schedule: string; timezone?: string };

export interface SparkJobClusterProps {
  /** The Databricks Runtime, pinned (per environment), e.g. `16.4.x-scala2.12`. */
  sparkVersion: string;
  /** Default `Standard_D4ds_v5`. */
  nodeType?: string;
  minWorkers: number;
  maxWorkers: number;
  /** Unity Catalog access mode. Default `dedicated` (single user: the job's service principal); `standard` shares the cluster between users with isolation. */
  accessMode?: "dedicated" | "standard";
}

export interface SparkStreamingJobProps {
  workspace: Databricks;
  /** 1-100 letters, digits, '-' and '_': the job, its cluster policy, its checkpoint folder and its identity are named after it. */
  name: string;
  /** The code, relative to `projectDir`: `pipelines/<name>/main.py` (a Python file) or a notebook (`.ipynb`, or a `.py` in Databricks' source format). */
  codeFile: string;
  /** Where relative paths start. Default: the current directory. */
  projectDir?: string;
  cluster: SparkJobClusterProps;
  inputs: SparkJobInput[];
  outputs: SparkJobOutput[];
  /** The container of the job's checkpoint; the folder is `<job name>/`, one per job. */
  checkpoint: { storageAccount: LakeFolder["storageAccount"]; container: string };
  trigger: SparkJobTriggerProps;
  /** Scheduled (`availableNow`) jobs only: default 3 retries, 5 minutes apart. */
  retries?: { maxRetries: number; minRetryIntervalMinutes: number };
  /** Who hears of a failed run or a growing backlog (at least one). */
  alertEmails: string[];
  /** The backlog, in seconds of data, past which `alertEmails` are told. Default 600. */
  backlogAlertSeconds?: number;
  /** The job's identity: an Entra ID application's service principal; default a Databricks-managed one, `sp-<name>`. */
  servicePrincipal?: { applicationId: string };
  /** Only where a secret cannot be avoided: a Key Vault-backed secret scope the job reads (`secret_scope` parameter); the code calls `dbutils.secrets.get(scope, key)`. */
  keyVaultSecretScope?: { name: string; keyVaultId: string; keyVaultUri: string };
  tags?: Record<string, string>;
}

const DBR = /^(\d+)\.(\d+)\.x(-[a-z0-9]+)*-scala\d+\.\d+$/;
/** Unity Catalog service credentials for Event Hubs (Kafka) need Databricks Runtime 16.1 or later. */
const KAFKA_SERVICE_CREDENTIAL_RUNTIME = [16, 1] as const;

const kafkaBootstrap = (hub: EventHubRef) => `${hub.namespaceName}.servicebus.windows.net:9093`;

export class SparkStreamingJob extends Construct {
  readonly job: Job;
  readonly clusterPolicy: ClusterPolicy;
  /** The job's identity (`run_as`, the cluster's single user, every grant). */
  readonly servicePrincipal?: ServicePrincipal;
  /** The application id of the job's service principal. */
  readonly applicationId: string;
  /** The code as uploaded: a workspace file (Python) or a notebook. */
  readonly code: WorkspaceFile | Notebook;
  /** Unity Catalog grants of the job's identity (external locations, the service credential). */
  readonly grants: Grant[] = [];
  readonly secretScope?: SecretScope;
  /** `abfss://<container>@<account>.dfs.core.windows.net/<job>/`. */
  readonly checkpointLocation: string;
  /** What the code is given, by name. */
  readonly parameters: Record<string, string>;
  readonly projectDir: string;
  /** Absolute path of the code file. */
  readonly codePath: string;
  readonly name: string;

  private readonly inputs: InputSpec[];
  private readonly outputs: OutputSpec[];
  private readonly trigger: SparkTrigger;
  private readonly codeKind: "python" | "notebook";

  constructor(scope: Construct, id: string, props: SparkStreamingJobProps) {
    super(scope, id);
    this.name = props.name;
    this.projectDir = resolve(props.projectDir ?? process.cwd());
    this.codePath = isAbsolute(props.codeFile) ? props.codeFile : join(this.projectDir, props.codeFile);
    const where = `Spark job '${props.name}'`;
    if (!existsSync(this.codePath)) {
      throw new StreamkitError(`${where}: code file not found: ${this.relative(this.codePath)}`, { file: this.relative(this.codePath) }, "JOB_CODE");
    }
    const codeText = readFileSync(this.codePath, "utf8");
    this.codeKind = isNotebookFile(this.codePath, codeText) ? "notebook" : "python";
    this.trigger = props.trigger.kind;
    const workspace = props.workspace;
    const catalog = workspace.unityCatalog;
    const provider = catalog.provider;

    this.servicePrincipal = props.servicePrincipal
      ? undefined
      : new ServicePrincipal(this, "service-principal", { provider, displayName: `sp-${props.name}`, allowClusterCreate: false, databricksSqlAccess: false });
    this.applicationId = props.servicePrincipal?.applicationId ?? this.servicePrincipal!.applicationId;
    const principal = this.applicationId;

    // Each folder the job touches is an external location granted to its identity alone; the
    // access connector gets the Azure role on the container (the narrowest scope Azure has).
    const grantFolder = (folder: LakeFolder, write: boolean, what: string) => {
      workspace.grantLakeAccess({ storageAccount: folder.storageAccount, container: folder.container, access: write ? "write" : "read" });
      const location = catalog.externalLocation(folder);
      this.grants.push(new Grant(this, `grant-${what}`, { provider, externalLocation: location.name, principal, privileges: write ? ["READ_FILES", "WRITE_FILES"] : ["READ_FILES"] }));
    };

    const parameters: Record<string, string> = {};
    this.inputs = props.inputs.map((input) => {
      if ("eventHub" in input) {
        workspace.grantEventHubAccess({ hub: input.eventHub, access: "receive" });
        const names = eventHubParameters(input.alias);
        parameters[names.bootstrapServers] = kafkaBootstrap(input.eventHub);
        parameters[names.topic] = input.eventHub.name;
        parameters[names.consumerGroup] = input.consumerGroup;
        parameters[names.serviceCredential] = catalog.serviceCredential.nameInput!;
        return { alias: input.alias, kind: "eventhub", consumerGroup: input.consumerGroup, partitionCount: input.partitionCount } as InputSpec;
      }
      grantFolder(input.delta, false, `input-${input.alias}`);
      parameters[deltaPathParameter(input.alias)] = abfssUrl(input.delta);
      return { alias: input.alias, kind: "adls", serialization: { type: "delta" } } as InputSpec;
    });
    if (props.inputs.some((i) => "eventHub" in i)) {
      this.grants.push(new Grant(this, "grant-service-credential", { provider, credential: catalog.serviceCredential.name, principal, privileges: ["ACCESS"] }));
    }
    this.outputs = props.outputs.map((output) => {
      grantFolder(output.delta, true, `output-${output.alias}`);
      parameters[deltaPathParameter(output.alias)] = abfssUrl(output.delta);
      return { alias: output.alias, kind: "adls", serialization: { type: "delta" } } as OutputSpec;
    });
    const checkpoint: LakeFolder = { storageAccount: props.checkpoint.storageAccount, container: props.checkpoint.container, path: props.name };
    grantFolder(checkpoint, true, "checkpoint");
    this.checkpointLocation = abfssUrl(checkpoint);
    parameters.checkpoint_location = this.checkpointLocation;
    parameters.trigger = props.trigger.kind;

    if (props.keyVaultSecretScope) {
      const spec = props.keyVaultSecretScope;
      this.secretScope = new SecretScope(this, "secret-scope", {
        provider,
        name: spec.name,
        backendType: "AZURE_KEYVAULT",
        keyvaultMetadata: { resourceId: spec.keyVaultId, dnsName: spec.keyVaultUri },
      });
      new SecretAcl(this, "secret-acl", { provider, scope: this.secretScope.name, principal, permission: "READ" });
      parameters.secret_scope = spec.name;
    }
    this.parameters = parameters;

    // The code, uploaded from the repository: its content is part of the plan, so a change deploys.
    const folder = `/Shared/streamkit/jobs/${props.name}`;
    const content = Buffer.from(codeText).toString("base64");
    const permissions: Permissions[] = [];
    if (this.codeKind === "notebook") {
      const ipynb = extname(this.codePath).toLowerCase() === ".ipynb";
      this.code = new Notebook(this, "code", { provider, path: `${folder}/${basename(this.codePath, extname(this.codePath))}`, contentBase64: content, language: "PYTHON", format: ipynb ? "JUPYTER" : "SOURCE" });
      permissions.push(new Permissions(this, "code-permissions", { provider, notebookPath: this.code.path, accessControl: [{ servicePrincipalName: principal, permissionLevel: "CAN_READ" }] }));
    } else {
      this.code = new WorkspaceFile(this, "code", { provider, path: `${folder}/${basename(this.codePath)}`, contentBase64: content });
      permissions.push(new Permissions(this, "code-permissions", { provider, workspaceFilePath: this.code.path, accessControl: [{ servicePrincipalName: principal, permissionLevel: "CAN_READ" }] }));
    }

    const cluster = props.cluster;
    const nodeType = cluster.nodeType ?? "Standard_D4ds_v5";
    const accessMode = cluster.accessMode ?? "dedicated";
    const securityMode = accessMode === "dedicated" ? "SINGLE_USER" : "USER_ISOLATION";
    const tags = withDefaultTags({ ...props.tags, "streamkit-job": props.name });
    const fixed = (value: unknown) => ({ type: "fixed", value });
    const policy: Record<string, unknown> = {
      cluster_type: fixed("job"),
      spark_version: fixed(cluster.sparkVersion),
      node_type_id: fixed(nodeType),
      driver_node_type_id: fixed(nodeType),
      "autoscale.min_workers": { type: "range", minValue: cluster.minWorkers, maxValue: cluster.maxWorkers, defaultValue: cluster.minWorkers },
      "autoscale.max_workers": { type: "range", minValue: cluster.minWorkers, maxValue: cluster.maxWorkers, defaultValue: cluster.maxWorkers },
      data_security_mode: fixed(securityMode),
      ...(accessMode === "dedicated" ? { single_user_name: fixed(principal) } : {}),
      enable_local_disk_encryption: fixed(true),
      "azure_attributes.availability": fixed("ON_DEMAND_AZURE"),
    };
    this.clusterPolicy = new ClusterPolicy(this, "cluster-policy", {
      provider,
      name: `streamkit-${props.name}`,
      description: `Job clusters of Spark job '${props.name}' (streamkit): pinned runtime and node type, Unity Catalog ${accessMode} access, autoscaling ${cluster.minWorkers}-${cluster.maxWorkers}`,
      definition: JSON.stringify(policy),
    });
    permissions.push(new Permissions(this, "policy-permissions", { provider, clusterPolicyId: this.clusterPolicy.id, accessControl: [{ servicePrincipalName: principal, permissionLevel: "CAN_USE" }] }));

    const retries = props.trigger.kind === "availableNow" ? (props.retries ?? { maxRetries: 3, minRetryIntervalMinutes: 5 }) : undefined;
    const task = {
      taskKey: "stream",
      jobClusterKey: "stream",
      ...(retries ? { maxRetries: retries.maxRetries, minRetryIntervalMillis: retries.minRetryIntervalMinutes * 60_000, retryOnTimeout: false } : {}),
      ...(this.codeKind === "notebook"
        ? { notebookTask: { notebookPath: this.code.path, source: "WORKSPACE", baseParameters: parameters } }
        : { sparkPythonTask: { pythonFile: this.code.path, source: "WORKSPACE", parameters: Object.entries(parameters).map(([k, v]) => `--${k}=${v}`) } }),
    };
    this.job = new Job(this, "job", {
      provider,
      name: props.name,
      description: `Spark Structured Streaming (streamkit): ${this.relative(this.codePath)}`,
      maxConcurrentRuns: 1,
      jobCluster: [
        {
          jobClusterKey: "stream",
          newCluster: {
            policyId: this.clusterPolicy.id,
            applyPolicyDefaultValues: true,
            sparkVersion: cluster.sparkVersion,
            nodeTypeId: nodeType,
            driverNodeTypeId: nodeType,
            autoscale: { minWorkers: cluster.minWorkers, maxWorkers: cluster.maxWorkers },
            dataSecurityMode: securityMode,
            singleUserName: accessMode === "dedicated" ? principal : undefined,
            enableLocalDiskEncryption: true,
            azureAttributes: { availability: "ON_DEMAND_AZURE" },
            customTags: tags,
          },
        },
      ],
      task: [task],
      ...(props.trigger.kind === "continuous"
        ? { continuous: { pauseStatus: "UNPAUSED", taskRetryMode: "ON_FAILURE" } }
        : { schedule: { quartzCronExpression: props.trigger.schedule, timezoneId: props.trigger.timezone ?? "UTC", pauseStatus: "UNPAUSED" } }),
      runAs: { servicePrincipalName: principal },
      emailNotifications: { onFailure: props.alertEmails, onStreamingBacklogExceeded: props.alertEmails, noAlertForSkippedRuns: true },
      health: { rules: [{ metric: "STREAMING_BACKLOG_SECONDS", op: "GREATER_THAN", value: props.backlogAlertSeconds ?? 600 }] },
      tags,
      // The identity can read its code and folders before the first run starts.
      dependsOn: [...this.grants, ...permissions],
    });

    this.node.addValidation({ validate: () => this.validate(props) });
  }

  /** The job model: the inputs, outputs, code and parameters of this job. */
  get spec(): SparkJobSpec {
    return parseSparkJobSpec({
      name: this.name,
      engine: "databricks",
      code: { file: this.relative(this.codePath), kind: this.codeKind },
      inputs: this.inputs,
      outputs: this.outputs,
      trigger: this.trigger,
      checkpointLocation: this.checkpointLocation,
      parameters: this.parameters,
    });
  }

  private relative(path: string): string {
    return relative(this.projectDir, path).split("\\").join("/");
  }

  private validate(props: SparkStreamingJobProps): string[] {
    const where = `Spark job '${props.name}'`;
    const problems: string[] = [];
    let spec: SparkJobSpec | undefined;
    try {
      spec = this.spec;
    } catch (error) {
      problems.push(...(error as Error).message.split("\n").map((line) => `${where}: ${line}`));
    }
    const cluster = props.cluster;
    const version = DBR.exec(cluster.sparkVersion);
    if (!version) problems.push(`${where}: cluster.sparkVersion '${cluster.sparkVersion}' is not a pinned Databricks Runtime such as 16.4.x-scala2.12`);
    else if (props.inputs.some((i) => "eventHub" in i)) {
      const [major, minor] = [Number(version[1]), Number(version[2])];
      const [needMajor, needMinor] = KAFKA_SERVICE_CREDENTIAL_RUNTIME;
      if (major < needMajor || (major === needMajor && minor < needMinor)) {
        problems.push(`${where}: reading an event hub with a Unity Catalog service credential needs Databricks Runtime ${needMajor}.${needMinor} or later, not ${cluster.sparkVersion}`);
      }
    }
    if (!Number.isInteger(cluster.minWorkers) || !Number.isInteger(cluster.maxWorkers) || cluster.minWorkers < 1 || cluster.minWorkers > cluster.maxWorkers) {
      problems.push(`${where}: autoscaling needs whole numbers 1 <= minWorkers <= maxWorkers (got ${cluster.minWorkers}-${cluster.maxWorkers})`);
    }
    if (props.alertEmails.length === 0) problems.push(`${where}: alertEmails is empty: someone must hear of a failed run`);
    for (const email of props.alertEmails) if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) problems.push(`${where}: alert email '${email}' is not an e-mail address`);
    if (props.trigger.kind === "continuous" && props.retries) {
      problems.push(`${where}: retries apply to scheduled (availableNow) jobs: a continuous job is restarted by Databricks with exponential backoff`);
    }
    if (props.trigger.kind === "availableNow" && props.trigger.schedule.trim().split(/\s+/).length < 6) {
      problems.push(`${where}: schedule '${props.trigger.schedule}' is not a Quartz cron expression (seconds minutes hours day-of-month month day-of-week [year])`);
    }
    if (props.retries && (props.retries.maxRetries < 0 || props.retries.minRetryIntervalMinutes < 0)) problems.push(`${where}: retries cannot be negative`);
    if (props.backlogAlertSeconds !== undefined && !(props.backlogAlertSeconds > 0)) problems.push(`${where}: backlogAlertSeconds must be positive`);
    for (const input of props.inputs) {
      if ("eventHub" in input && input.consumerGroup === "$Default") problems.push(`${where}: input '${input.alias}' should have its own consumer group, not $Default`);
      const groups = "eventHub" in input ? (input.eventHub as { consumerGroups?: Record<string, unknown> }).consumerGroups : undefined;
      if (groups && "eventHub" in input && input.consumerGroup !== "$Default" && !groups[input.consumerGroup]) {
        problems.push(`${where}: input '${input.alias}': event hub '${input.eventHub.name}' has no consumer group '${input.consumerGroup}' (declared: ${Object.keys(groups).join(", ") || "none"})`);
      }
    }
    if (spec) {
      const code = checkSparkCode(this.codePath, spec.code.file, spec.code.kind, Object.keys(spec.parameters));
      for (const note of code.notes) Annotations.of(this).addWarning(note);
      problems.push(...code.errors);
    }
    return problems;
  }
}
