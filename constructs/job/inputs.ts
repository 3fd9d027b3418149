// Job inputs: one azurerm resource per input, authenticated by the job's managed identity where
// Azure allows it, with the data role granted on the narrowest scope, and the job model's
// description of the same input (so the simulator reads what the deployed job reads).
import { TerraformVariable } from "cdktf";
import { EventhubConsumerGroup } from "@cdktf/provider-azurerm/lib/eventhub-consumer-group";
import { StreamAnalyticsStreamInputEventhubV2 } from "@cdktf/provider-azurerm/lib/stream-analytics-stream-input-eventhub-v2";
import { StreamAnalyticsStreamInputIothub } from "@cdktf/provider-azurerm/lib/stream-analytics-stream-input-iothub";
import { StreamAnalyticsStreamInputBlob } from "@cdktf/provider-azurerm/lib/stream-analytics-stream-input-blob";
import { StreamAnalyticsReferenceInputBlob } from "@cdktf/provider-azurerm/lib/stream-analytics-reference-input-blob";
import { StreamAnalyticsReferenceInputMssql } from "@cdktf/provider-azurerm/lib/stream-analytics-reference-input-mssql";
import { TerraformResource } from "cdktf";
import { StreamkitError } from "../../lib/core/errors";
import type { InputColumn, InputSpec } from "../../lib/job";
import { literal, secretProblems, type JobContext } from "./job-context";
import { JOB_ROLES } from "./role-assignments";
import { normalizeSerialization, toAzurermInputSerialization, type SerializationOptions } from "./serialization";
import { eventHubOf, iotHubOf, serviceKindOf, sqlDatabaseOf, storageOf } from "./sources";

export interface InputOptions {
  /** Blob/ADLS: which container (filesystem) of the storage construct. */
  container?: string;
  /** How events are encoded (default JSON, UTF-8). */
  serialization?: SerializationOptions;
  /** Reference data (Blob/ADLS or SQL) instead of a stream. */
  reference?: boolean;
  /** Event Hubs / IoT Hub: the consumer group. Default: a dedicated one named after the job. */
  consumerGroup?: string;
  partitionKey?: string;
  /** Blob/ADLS: e.g. `devices/{date}/{time}/devices.json`. */
  pathPattern?: string;
  dateFormat?: string;
  timeFormat?: string;
  /** The fields the query may rely on (checked by the SAQL checker, used by the simulator). */
  schema?: InputColumn[];
  /** SQL reference data: the query that loads it, and how often it refreshes. */
  fullSnapshotQuery?: string;
  deltaSnapshotQuery?: string;
  refreshInterval?: string;
  /** SQL reference data: ASA reads it with SQL authentication only (azurerm has no MSI option). */
  username?: string;
  password?: TerraformVariable;
}

export interface AddedInput {
  spec: InputSpec;
  resource: TerraformResource;
}

function rejectCompression(alias: string, options: InputOptions): void {
  if (options.serialization?.compression && options.serialization.compression !== "none") {
    throw new StreamkitError(
      `input '${alias}': compression '${options.serialization.compression}' cannot be deployed (azurerm 4.55 inputs have no compression argument)`,
      undefined,
      "JOB_INPUT",
    );
  }
}

/** Adds one input to the job; `source` is the service construct (or provider resource) to read. */
export function addJobInput(ctx: JobContext, alias: string, source: object, options: InputOptions = {}): AddedInput {
  rejectCompression(alias, options);
  const kind = serviceKindOf(source);
  const serialization = normalizeSerialization(options.serialization, "json");
  if (serialization.type === "delta") {
    throw new StreamkitError(`input '${alias}': Delta Lake is an output format in Stream Analytics, not an input serialization`, undefined, "JOB_INPUT");
  }
  const common = { alias, schema: options.schema, serialization };
  const id = `input-${alias}`;
  if (options.reference && (kind === "eventhub" || kind === "iothub")) {
    throw new StreamkitError(`input '${alias}': reference data comes from Blob/ADLS or SQL, not ${kind}`, undefined, "JOB_INPUT");
  }

  switch (kind) {
    case "eventhub": {
      const hub = eventHubOf(source);
      // One consumer group per job and input: readers must not share one (at most 5 per group),
      // made by the hub's construct when it can, so the hub lists all its consumers.
      const consumerGroup =
        options.consumerGroup ??
        hub.addConsumerGroup?.(ctx.jobName)?.name ??
        new EventhubConsumerGroup(ctx.scope, `${id}-consumer-group`, {
          name: ctx.jobName,
          namespaceName: hub.namespaceName,
          eventhubName: hub.hubName,
          resourceGroupName: hub.resourceGroupName,
        }).name;
      const resource = new StreamAnalyticsStreamInputEventhubV2(ctx.scope, id, {
        name: alias,
        streamAnalyticsJobId: ctx.jobId,
        servicebusNamespace: hub.namespaceName,
        eventhubName: hub.hubName,
        eventhubConsumerGroupName: consumerGroup,
        partitionKey: options.partitionKey,
        authenticationMode: "Msi",
        serialization: toAzurermInputSerialization(serialization),
      });
      ctx.grant({ alias, direction: "input", role: JOB_ROLES.eventHubReceiver, scope: hub.scope, scopeKind: "eventhub" });
      const spec: InputSpec = { ...common, type: "stream", kind: "eventhub", consumerGroup: literal(options.consumerGroup) ?? literal(ctx.jobName), partitionKey: options.partitionKey, partitionCount: hub.partitionCount };
      return { spec, resource };
    }
    case "iothub": {
      const iot = iotHubOf(source);
      if (!iot.policy) {
        throw new StreamkitError(
          `input '${alias}': IoT Hub '${iot.hub.node.path}' has no shared access policy (service connect) for the job; Stream Analytics reads IoT Hub with one only`,
          undefined,
          "JOB_INPUT",
        );
      }
      const policy = iot.policy;
      // A consumer group the hub's construct declares for this job (builtInEndpoint.consumerGroups),
      // else the built-in endpoint's $Default.
      const declaredGroups = (source as { consumerGroups?: Record<string, unknown> }).consumerGroups ?? {};
      const consumerGroup = options.consumerGroup ?? (ctx.jobName in declaredGroups ? ctx.jobName : "$Default");
      // ASA cannot read IoT Hub with a managed identity: it needs a shared access policy,
      // which needs local (SAS) authentication on the hub. Route to Event Hubs otherwise.
      ctx.addCheck(() => {
        const problems: string[] = [];
        if (literal(iot.hub.localAuthenticationEnabledInput) === false) {
          problems.push(
            `input '${alias}': IoT Hub '${iot.hub.node.path}' has local authentication off, and Stream Analytics reads IoT Hub only with a shared access policy; route the hub's messages to an Event Hub and read that with the job's managed identity`,
          );
        }
        return problems;
      });
      const resource = new StreamAnalyticsStreamInputIothub(ctx.scope, id, {
        name: alias,
        streamAnalyticsJobName: ctx.jobNameRef,
        resourceGroupName: ctx.resourceGroupName,
        iothubNamespace: iot.hub.name,
        endpoint: "messages/events",
        eventhubConsumerGroupName: consumerGroup,
        sharedAccessPolicyName: policy.name,
        // A reference to the policy's key attribute: no secret is written into the JSON.
        sharedAccessPolicyKey: policy.primaryKey,
        serialization: toAzurermInputSerialization(serialization),
      });
      const spec: InputSpec = { ...common, type: "stream", kind: "iothub", consumerGroup, partitionCount: literal(iot.hub.eventHubPartitionCountInput) };
      return { spec, resource };
    }
    case "storage": {
      const storage = storageOf(source, options.container);
      const pathPattern = options.pathPattern ?? "{date}/{time}";
      const dateFormat = options.dateFormat ?? "yyyy/MM/dd";
      const timeFormat = options.timeFormat ?? "HH";
      const where = {
        name: alias,
        streamAnalyticsJobName: ctx.jobNameRef,
        resourceGroupName: ctx.resourceGroupName,
        storageAccountName: storage.accountName,
        storageContainerName: storage.containerName,
        pathPattern,
        dateFormat,
        timeFormat,
        authenticationMode: "Msi",
        serialization: toAzurermInputSerialization(serialization),
      };
      let resource: TerraformResource;
      if (options.reference) {
        resource = new StreamAnalyticsReferenceInputBlob(ctx.scope, id, where);
      } else {
        if (!storage.account) {
          throw new StreamkitError(`input '${alias}': a Blob/ADLS stream input needs the storage construct (or account), not a container alone (azurerm requires the account's key attribute)`, undefined, "JOB_INPUT");
        }
        resource = new StreamAnalyticsStreamInputBlob(ctx.scope, id, {
          ...where,
          // azurerm 4.55 marks the key required even with Msi; ASA ignores it then. It is a
          // reference to the account's attribute, so no secret is written into the JSON.
          storageAccountKey: storage.account.primaryAccessKey,
        });
      }
      ctx.grant({
        alias,
        direction: "input",
        // Reference data is only read; a stream input only reads too.
        role: JOB_ROLES.blobReader,
        scope: storage.scope,
        scopeKind: "container",
      });
      const spec: InputSpec = {
        ...common,
        type: options.reference ? "reference" : "stream",
        kind: storage.kind,
        pathPattern,
        dateFormat,
        timeFormat,
      };
      return { spec, resource };
    }
    case "sql": {
      if (!options.reference) throw new StreamkitError(`input '${alias}': SQL Database is reference data only (pass reference: true)`, undefined, "JOB_INPUT");
      const sql = sqlDatabaseOf(source);
      if (!options.fullSnapshotQuery) throw new StreamkitError(`input '${alias}': SQL reference data needs fullSnapshotQuery`, undefined, "JOB_INPUT");
      ctx.addCheck(() => secretProblems(options.password, `input '${alias}' (SQL reference data)`));
      if (!options.username) throw new StreamkitError(`input '${alias}': SQL reference data needs a username (azurerm offers SQL authentication only)`, undefined, "JOB_INPUT");
      const resource = new StreamAnalyticsReferenceInputMssql(ctx.scope, id, {
        name: alias,
        streamAnalyticsJobName: ctx.jobNameRef,
        resourceGroupName: ctx.resourceGroupName,
        server: sql.server.fullyQualifiedDomainName,
        database: sql.database.name,
        username: options.username,
        // Without a sensitive variable the check above fails synth, so "" is never deployed.
        password: options.password instanceof TerraformVariable ? options.password.stringValue : "",
        fullSnapshotQuery: options.fullSnapshotQuery,
        deltaSnapshotQuery: options.deltaSnapshotQuery,
        refreshType: options.refreshInterval ? (options.deltaSnapshotQuery ? "RefreshPeriodicallyWithDelta" : "RefreshPeriodicallyWithFull") : "Static",
        refreshIntervalDuration: options.refreshInterval,
      });
      const spec: InputSpec = { ...common, type: "reference", kind: "sql" };
      return { spec, resource };
    }
    default:
      throw new StreamkitError(
        `input '${alias}': cannot tell what service the source is; pass an Event Hubs, IoT Hub, Blob/ADLS or SQL construct (or its azurerm resource)`,
        undefined,
        "JOB_INPUT",
      );
  }
}
