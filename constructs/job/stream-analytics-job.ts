// A Stream Analytics job whose query lives in a `.asaql` file, whose inputs and outputs are the
// service constructs themselves, and whose job model (`lib/job`) is derived from it — so the
// job that `streamkit run --job` / `streamkit test` run is the job that is deployed.
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve } from "node:path";
import { Construct } from "constructs";
import { Annotations, Fn, Lazy, TerraformOutput } from "cdktf";
import { StreamAnalyticsJob as AzurermStreamAnalyticsJob } from "@cdktf/provider-azurerm/lib/stream-analytics-job";
import { StreamAnalyticsJobStorageAccount } from "@cdktf/provider-azurerm/lib/stream-analytics-job-storage-account";
import { StreamkitError } from "../../lib/core/errors";
import {
  COMPATIBILITY_LEVELS,
  eventOrderingSchema,
  parseJobSpec,
  saveJobFile,
  type CompatibilityLevel,
  type EventOrdering,
  type FunctionSpec,
  type InputSpec,
  type JobSpec,
  type OutputSpec,
} from "../../lib/job";
import { applyCommonShapes, withDefaultTags, type CommonProps, type CommonResources } from "../core/shapes";
import { StreamAnalyticsJobAlerts, type AlertThresholds } from "./alerts";
import { addJavaScriptFunction, type JavaScriptFunctionOptions } from "./functions";
import { addJobInput, type InputOptions } from "./inputs";
import type { JobContext } from "./job-context";
import { addJobOutput, type OutputOptions } from "./outputs";
import { checkJobQuery, checkJobScaling } from "./query-check";
import { grantRole, JOB_ROLES, type JobGrant } from "./role-assignments";
import { sqlSetupScript, type SqlSetupTarget } from "./sql-setup";
import { requireResource } from "./sources";
import { StorageAccount } from "@cdktf/provider-azurerm/lib/storage-account";
import { streamingUnitsFor, type JobSku } from "./streaming-units";
import { rejectUnsupportedEndpoint } from "./unsupported-endpoints";

export interface JobAlertOptions {
  thresholds?: Partial<AlertThresholds>;
  actionGroupId?: string;
  emailReceivers?: string[];
}

export interface StreamAnalyticsJobProps extends CommonProps {
  /** 3-63 letters, digits, '-' and '_'. Also the name of the job's identity (and its SQL user). */
  name: string;
  /** The query, relative to `projectDir`, e.g. `queries/iot-telemetry/query.asaql`. */
  queryFile: string;
  /** Where relative paths start. Default: the current directory. */
  projectDir?: string;
  /** Default `1.2`. */
  compatibilityLevel?: CompatibilityLevel;
  /** Default `StandardV2`. */
  sku?: JobSku;
  /** V2: `"1/3"`, `"2/3"`, `"1"` … `"12"`, or the API value (3, 7, 10, 20 … 120). V1: 1, 3, 6, 12 … 120. Default: the smallest. */
  streamingUnits?: number | string;
  /** Late arrival / out-of-order tolerances and policy; ASA's defaults (5 s, 0 s, adjust). */
  eventOrdering?: Partial<EventOrdering>;
  /** A row an output cannot take: `stop` the job (default, the job model's default) or `drop` the row. Always written out, since azurerm's default (Drop) differs. */
  outputErrorPolicy?: "stop" | "drop";
  /** Default `en-US`. */
  dataLocale?: string;
  /** A storage construct (or account) for the job's content (checkpoints, reference-data snapshots), reached with the job's identity. */
  jobStorage?: object;
  /** JavaScript functions: default `Functions/` beside the query. */
  functionsDir?: string;
  /** The alert pack, on by default; `false` turns it off. */
  alerts?: JobAlertOptions | false;
}

export class StreamAnalyticsJob extends Construct {
  readonly job: AzurermStreamAnalyticsJob;
  readonly name: string;
  readonly resourceGroupName: string;
  /** The job's system-assigned identity (object id), for grants the kit does not make itself. */
  readonly principalId: string;
  readonly projectDir: string;
  /** Absolute path of the query file. */
  readonly queryPath: string;
  readonly queryText: string;
  /** Every role the job's identity was granted, with its scope. */
  readonly grants: JobGrant[] = [];
  readonly alerts?: StreamAnalyticsJobAlerts;
  readonly common: CommonResources;

  private readonly inputs: InputSpec[] = [];
  private readonly outputs: OutputSpec[] = [];
  private readonly functions: FunctionSpec[] = [];
  private readonly sqlTargets: SqlSetupTarget[] = [];
  private readonly checks: (() => string[])[] = [];
  private readonly settings: Pick<JobSpec, "compatibilityLevel" | "eventOrdering" | "outputErrorPolicy" | "dataLocale" | "streamingUnits">;
  private readonly functionsDir: string;
  private readonly context: JobContext;
  private sqlSetupOutput?: TerraformOutput;

  constructor(scope: Construct, id: string, props: StreamAnalyticsJobProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{3,63}$/.test(props.name)) {
      throw new StreamkitError(`job name '${props.name}' is invalid: Stream Analytics allows 3-63 letters, digits, '-' and '_'`, undefined, "JOB_NAME");
    }
    this.name = props.name;
    this.resourceGroupName = props.resourceGroupName;
    this.projectDir = resolve(props.projectDir ?? process.cwd());
    this.queryPath = isAbsolute(props.queryFile) ? props.queryFile : join(this.projectDir, props.queryFile);
    if (!existsSync(this.queryPath)) {
      throw new StreamkitError(`job '${props.name}': query file not found: ${this.relative(this.queryPath)}`, { file: this.relative(this.queryPath) }, "JOB_QUERY");
    }
    this.queryText = readFileSync(this.queryPath, "utf8");
    this.functionsDir = props.functionsDir ? resolve(this.projectDir, props.functionsDir) : join(dirname(this.queryPath), "Functions");

    const compatibilityLevel = props.compatibilityLevel ?? "1.2";
    if (!COMPATIBILITY_LEVELS.includes(compatibilityLevel)) {
      throw new StreamkitError(`job '${props.name}': compatibility level '${compatibilityLevel}' is not one of ${COMPATIBILITY_LEVELS.join(", ")}`, undefined, "JOB_SETTINGS");
    }
    const sku = props.sku ?? "StandardV2";
    const streamingUnits = streamingUnitsFor(sku, props.streamingUnits ?? (sku === "StandardV2" ? "1/3" : 1));
    const parsedOrdering = eventOrderingSchema.safeParse(props.eventOrdering ?? {});
    if (!parsedOrdering.success) {
      const issue = parsedOrdering.error.issues[0]!;
      throw new StreamkitError(`job '${props.name}': eventOrdering.${issue.path.join(".")}: ${issue.message}`, undefined, "JOB_SETTINGS");
    }
    const eventOrdering = parsedOrdering.data;
    this.settings = {
      compatibilityLevel,
      eventOrdering,
      outputErrorPolicy: props.outputErrorPolicy ?? "stop",
      dataLocale: props.dataLocale ?? "en-US",
      streamingUnits,
    };

    this.job = new AzurermStreamAnalyticsJob(this, "job", {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: sku,
      streamingUnits,
      compatibilityLevel,
      dataLocale: this.settings.dataLocale,
      eventsLateArrivalMaxDelayInSeconds: eventOrdering.lateArrivalMaxDelaySeconds,
      eventsOutOfOrderMaxDelayInSeconds: eventOrdering.outOfOrderMaxDelaySeconds,
      eventsOutOfOrderPolicy: eventOrdering.policy === "drop" ? "Drop" : "Adjust",
      outputErrorPolicy: this.settings.outputErrorPolicy === "drop" ? "Drop" : "Stop",
      transformationQuery: this.queryText,
      contentStoragePolicy: props.jobStorage ? "JobStorageAccount" : "SystemAccount",
      identity: { type: "SystemAssigned" },
      tags: withDefaultTags(props.tags),
      // The job storage account is attached by its own resource (the only way to use Msi);
      // azurerm asks the job to leave that block alone, else each plan would remove it.
      lifecycle: props.jobStorage ? { ignoreChanges: ["job_storage_account"] } : undefined,
    });
    this.principalId = this.job.identity.principalId;

    const job = this;
    this.context = {
      scope: this,
      jobName: props.name,
      jobNameRef: this.job.name,
      resourceGroupName: props.resourceGroupName,
      jobId: this.job.id,
      principalId: this.principalId,
      grant: (grant, cosmos) => {
        const made = grantRole(job, `role-${grant.direction}-${grant.alias}-${job.grants.length}`, job.principalId, grant, cosmos);
        job.grants.push(made);
        return made;
      },
      addCheck: (check) => job.checks.push(check),
    };

    if (props.jobStorage) {
      const account = requireResource(props.jobStorage, StorageAccount, "storage account (azurerm_storage_account)");
      new StreamAnalyticsJobStorageAccount(this, "job-storage", {
        streamAnalyticsJobId: this.job.id,
        storageAccountName: account.name,
        authenticationMode: "Msi",
      });
      // ASA creates its own containers in the job storage account, so the grant is on the account.
      this.context.grant({ alias: "job-storage", direction: "job-storage", role: JOB_ROLES.blobContributor, scope: account.id, scopeKind: "storage-account" });
    }

    this.common = applyCommonShapes(this, this.job.id, {
      roleAssignments: props.roleAssignments,
      diagnosticSettings: props.diagnosticSettings,
      lock: props.lock,
    });
    if (props.alerts !== false) {
      this.alerts = new StreamAnalyticsJobAlerts(this, "alerts", {
        jobId: this.job.id,
        jobName: props.name,
        resourceGroupName: props.resourceGroupName,
        ...(props.alerts ?? {}),
        tags: withDefaultTags(props.tags),
      });
    }

    this.publishJobReference();
    this.node.addValidation({ validate: () => this.validateJob() });
  }

  /**
   * Outputs that say which job this is, for `streamkit job … --from-outputs` (lib/azure/job-ref.ts
   * finds the job by its resource ID among a stack's outputs) and for scripts: `id`, `name`,
   * `resource-group-name`, `subscription-id`. They nest under the construct's path in cdktf's
   * outputs file (`{stack: {pipeline: {job: {id: …}}}}`).
   */
  private publishJobReference(): void {
    new TerraformOutput(this, "id", { description: `Resource ID of Stream Analytics job '${this.name}'`, value: this.job.id });
    new TerraformOutput(this, "name", { description: "Name of the Stream Analytics job", value: this.job.name });
    new TerraformOutput(this, "resource-group-name", { description: "Resource group of the Stream Analytics job", value: this.job.resourceGroupName });
    // The third segment of /subscriptions/<id>/resourceGroups/…: the subscription the provider deployed to.
    new TerraformOutput(this, "subscription-id", { description: "Subscription of the Stream Analytics job", value: Fn.element(Fn.split("/", this.job.id), 2) });
  }

  /** Reads `source` (a service construct or its azurerm resource) as input `alias`. */
  addInput(alias: string, source: object, options: InputOptions = {}): InputSpec {
    this.checkAlias(alias, "input");
    rejectUnsupportedEndpoint(alias, source, "input");
    const { spec } = addJobInput(this.context, alias, source, options);
    this.inputs.push(spec);
    return spec;
  }

  /** Writes output `alias` to `target` (a service construct, its azurerm resource, or a Power BI workspace). */
  addOutput(alias: string, target: object, options: OutputOptions = {}): OutputSpec {
    this.checkAlias(alias, "output");
    rejectUnsupportedEndpoint(alias, target, "output");
    const { spec, database } = addJobOutput(this.context, alias, target, options);
    this.outputs.push(spec);
    if ((spec.kind === "sql" || spec.kind === "synapse") && spec.table) {
      this.sqlTargets.push({ kind: spec.kind, database: database ?? `of output '${alias}'`, table: spec.table, user: options.user });
      this.publishSqlSetup();
    }
    return spec;
  }

  /** A JavaScript UDF or UDA from `Functions/<name>.js`; its types from `options` or `Functions/<name>.json`. */
  addFunction(name: string, options?: JavaScriptFunctionOptions): FunctionSpec {
    if (this.functions.some((f) => f.name.toLowerCase() === name.toLowerCase())) {
      throw new StreamkitError(`job '${this.name}': function '${name}' is declared twice (names are case-insensitive)`, undefined, "JOB_FUNCTION");
    }
    const { spec } = addJavaScriptFunction(this.context, this.functionsDir, this.projectDir, name, options);
    this.functions.push(spec);
    return spec;
  }

  /** The job model of this job, with paths relative to `baseDir` (default: the project). */
  specFor(baseDir: string = this.projectDir): JobSpec {
    const rel = (path: string) => relative(baseDir, path).split("\\").join("/");
    return parseJobSpec({
      name: this.name,
      query: { file: rel(this.queryPath) },
      ...this.settings,
      inputs: this.inputs,
      outputs: this.outputs,
      functions: this.functions.map((f) => ({ ...f, file: f.file ? rel(f.file) : undefined })),
    });
  }

  /** The job model: the same job the simulator runs. Paths are relative to the project. */
  get spec(): JobSpec {
    return this.specFor();
  }

  /** Writes the job model as a job file the CLI reads (`streamkit run --job <file>`). */
  writeJobFile(path: string): string {
    const file = resolve(this.projectDir, path);
    saveJobFile(file, this.specFor(dirname(file)));
    return file;
  }

  /** The T-SQL an administrator runs once so the job can write its SQL / Synapse outputs. */
  get sqlSetupScript(): string {
    return sqlSetupScript(this.name, this.sqlTargets);
  }

  private publishSqlSetup(): void {
    if (this.sqlSetupOutput) return;
    this.sqlSetupOutput = new TerraformOutput(this, "sql-setup", {
      description: `T-SQL to run once in the job's SQL database / Synapse pool (as an Entra admin) before starting job '${this.name}'`,
      value: Lazy.stringValue({ produce: () => this.sqlSetupScript }),
    });
  }

  private checkAlias(alias: string, what: "input" | "output"): void {
    if (!/^[A-Za-z0-9_-]{1,63}$/.test(alias)) {
      throw new StreamkitError(`job '${this.name}': ${what} alias '${alias}' must be 1-63 letters, digits, '-' or '_'`, undefined, "JOB_ALIAS");
    }
    const taken = [...this.inputs, ...this.outputs].some((x) => x.alias.toLowerCase() === alias.toLowerCase());
    if (taken) throw new StreamkitError(`job '${this.name}': alias '${alias}' is already used (aliases are case-insensitive)`, undefined, "JOB_ALIAS");
  }

  private strict(): boolean {
    const value = this.node.tryGetContext("streamkit:strict") ?? process.env.STREAMKIT_STRICT;
    return value === true || value === "true" || value === "1";
  }

  private relative(path: string): string {
    return relative(this.projectDir, path).split("\\").join("/");
  }

  private validateJob(): string[] {
    const problems: string[] = [];
    if (this.inputs.length === 0) problems.push(`job '${this.name}' has no input: add one with job.addInput(alias, source)`);
    if (this.outputs.length === 0) problems.push(`job '${this.name}' has no output: add one with job.addOutput(alias, target)`);
    for (const check of this.checks) problems.push(...check());
    const query = checkJobQuery(this.queryText, this.relative(this.queryPath), this.spec);
    for (const warning of query.warnings) Annotations.of(this).addWarning(warning);
    problems.push(...query.errors);
    if (query.errors.length === 0) {
      // Scaling findings warn; in strict mode (context `streamkit:strict`, or STREAMKIT_STRICT=1) they fail synth.
      const scaling = checkJobScaling(this.queryText, this.relative(this.queryPath), this.spec);
      if (this.strict()) problems.push(...scaling);
      else for (const warning of scaling) Annotations.of(this).addWarning(warning);
    }
    return problems;
  }
}
