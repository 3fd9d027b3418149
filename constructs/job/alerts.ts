// The alert pack every job gets unless it opts out: metric alerts on the signals that tell a
// Stream Analytics job is in trouble, and an action group to notify (the job's logs and metrics
// go to Log Analytics through its `diagnosticSettings`). Metric names are the REST names of Microsoft.StreamAnalytics/streamingjobs
// (azure-monitor's "supported metrics" table).
import { Construct } from "constructs";
import { MonitorActionGroup } from "@cdktf/provider-azurerm/lib/monitor-action-group";
import { MonitorMetricAlert } from "@cdktf/provider-azurerm/lib/monitor-metric-alert";
import { StreamkitError } from "../../lib/core/errors";

/** 0 critical … 4 verbose, as Azure Monitor numbers them. */
export type AlertSeverity = 0 | 1 | 2 | 3 | 4;

export interface AlertRule {
  /** Fire above this value (percent, seconds or a count, per signal). */
  threshold: number;
  severity: AlertSeverity;
}

export interface AlertThresholds {
  /** SU (memory) % utilization; Microsoft recommends alerting at 80 %. */
  suUtilization: AlertRule;
  /** Seconds the output watermark lags wall-clock time. */
  watermarkDelay: AlertRule;
  /** Input events waiting to be read (Event Hubs / IoT Hub). */
  inputBacklog: AlertRule;
  /** Events that could not be deserialized. */
  deserializationErrors: AlertRule;
  /** Runtime errors of any kind. */
  runtimeErrors: AlertRule;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = {
  suUtilization: { threshold: 80, severity: 2 },
  watermarkDelay: { threshold: 60, severity: 2 },
  inputBacklog: { threshold: 1000, severity: 2 },
  deserializationErrors: { threshold: 0, severity: 3 },
  runtimeErrors: { threshold: 0, severity: 2 },
};

interface SignalDefinition {
  metric: string;
  aggregation: "Average" | "Maximum" | "Total";
  description: string;
}

const SIGNALS: Record<keyof AlertThresholds, SignalDefinition> = {
  suUtilization: { metric: "ResourceUtilization", aggregation: "Maximum", description: "SU (memory) % utilization is high: add streaming units or partition the query" },
  watermarkDelay: { metric: "OutputWatermarkDelaySeconds", aggregation: "Maximum", description: "the job is falling behind (watermark delay)" },
  inputBacklog: { metric: "InputEventsSourcesBacklogged", aggregation: "Maximum", description: "input events are backlogged" },
  deserializationErrors: { metric: "DeserializationError", aggregation: "Total", description: "input events fail to deserialize and are skipped" },
  runtimeErrors: { metric: "Errors", aggregation: "Total", description: "the job reports runtime errors" },
};

export interface JobAlertsProps {
  jobId: string;
  jobName: string;
  resourceGroupName: string;
  thresholds?: Partial<AlertThresholds>;
  /** An existing action group; otherwise one is made with the e-mail receivers below. */
  actionGroupId?: string;
  emailReceivers?: string[];
  tags?: Record<string, string>;
}

export class StreamAnalyticsJobAlerts extends Construct {
  readonly actionGroupId: string;
  readonly alerts: Record<keyof AlertThresholds, MonitorMetricAlert>;

  constructor(scope: Construct, id: string, props: JobAlertsProps) {
    super(scope, id);
    const thresholds = { ...DEFAULT_ALERT_THRESHOLDS, ...props.thresholds };
    for (const [name, rule] of Object.entries(thresholds)) {
      if (!Number.isInteger(rule.severity) || rule.severity < 0 || rule.severity > 4) {
        throw new StreamkitError(`alert '${name}': severity ${rule.severity} is not 0-4`, undefined, "JOB_ALERTS");
      }
      if (!(rule.threshold >= 0)) throw new StreamkitError(`alert '${name}': threshold must be ≥ 0`, undefined, "JOB_ALERTS");
    }

    this.actionGroupId =
      props.actionGroupId ??
      new MonitorActionGroup(this, "action-group", {
        name: `ag-${props.jobName}`,
        resourceGroupName: props.resourceGroupName,
        // Azure allows at most 12 characters here.
        shortName: props.jobName.replace(/[^A-Za-z0-9]/g, "").slice(-12) || "asajob",
        emailReceiver: (props.emailReceivers ?? []).map((address, i) => ({
          name: `email-${i + 1}`,
          emailAddress: address,
          useCommonAlertSchema: true,
        })),
        tags: props.tags,
      }).id;

    const alerts = {} as Record<keyof AlertThresholds, MonitorMetricAlert>;
    for (const key of Object.keys(SIGNALS) as (keyof AlertThresholds)[]) {
      const signal = SIGNALS[key];
      const rule = thresholds[key];
      alerts[key] = new MonitorMetricAlert(this, `alert-${key}`, {
        name: `${props.jobName}-${signal.metric}`,
        resourceGroupName: props.resourceGroupName,
        scopes: [props.jobId],
        description: `${props.jobName}: ${signal.description}`,
        severity: rule.severity,
        frequency: "PT1M",
        windowSize: "PT5M",
        criteria: [
          {
            metricNamespace: "Microsoft.StreamAnalytics/streamingjobs",
            metricName: signal.metric,
            aggregation: signal.aggregation,
            operator: "GreaterThan",
            threshold: rule.threshold,
          },
        ],
        action: [{ actionGroupId: this.actionGroupId }],
        tags: props.tags,
      });
    }
    this.alerts = alerts;
  }
}
