// A Service Bus queue a job writes to (e.g. alerts for an application to act on), secure by
// default: Entra ID only (no SAS keys), TLS 1.2. The job sends with its managed identity.
import { Construct } from "constructs";
import { ServicebusNamespace } from "@cdktf/provider-azurerm/lib/servicebus-namespace";
import { ServicebusQueue } from "@cdktf/provider-azurerm/lib/servicebus-queue";
import { withDefaultTags, type Placement } from "../core/shapes";

export interface ServiceBusQueueProps extends Placement {
  /** The namespace: 6-50 letters, digits and hyphens, globally unique. */
  namespaceName: string;
  queueName: string;
  /** Default `Standard`. */
  sku?: "Basic" | "Standard" | "Premium";
  tags?: Record<string, string>;
}

export class ServiceBusQueue extends Construct {
  readonly namespace: ServicebusNamespace;
  readonly queue: ServicebusQueue;

  constructor(scope: Construct, id: string, props: ServiceBusQueueProps) {
    super(scope, id);
    this.namespace = new ServicebusNamespace(this, "namespace", {
      name: props.namespaceName,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku: props.sku ?? "Standard",
      localAuthEnabled: false,
      minimumTlsVersion: "1.2",
      tags: withDefaultTags(props.tags),
    });
    this.queue = new ServicebusQueue(this, "queue", { name: props.queueName, namespaceId: this.namespace.id });
  }
}
