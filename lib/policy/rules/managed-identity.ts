// Every Stream Analytics job and Event Hubs namespace has a managed identity: the job reads
// and writes with it (no keys), the namespace uses it for Capture and customer-managed keys.
import { block, resourcesOf } from "../resources";
import type { Rule } from "../types";

const NEEDS_IDENTITY: Record<string, string> = {
  azurerm_stream_analytics_job: "the job authenticates to its inputs and outputs with it instead of keys",
  azurerm_eventhub_namespace: "Capture and customer-managed keys use it",
};

export const managedIdentityRule: Rule = {
  id: "managed-identity",
  description: "a managed identity on every Stream Analytics job and Event Hubs namespace",
  check({ stack }) {
    const findings = [];
    for (const resource of resourcesOf(stack)) {
      const why = NEEDS_IDENTITY[resource.type];
      if (!why) continue;
      const identity = block(resource.body, "identity");
      if (typeof identity?.type !== "string" || identity.type === "") findings.push({ ...resource, message: `no managed identity: add an identity block (${why})` });
    }
    return findings;
  },
};
