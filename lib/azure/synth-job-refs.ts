// Which streaming jobs a stack deploys, read from its synthesized Terraform JSON
// (cdktf.out/stacks/<stack>/cdk.tf.json) before anything is deployed: each
// azurerm_stream_analytics_job's name and resource group (literals, or references to another
// resource's literal attribute, as cdktf writes them), and the subscription of the azurerm provider
// (or ARM_SUBSCRIPTION_ID / AZURE_SUBSCRIPTION_ID when the provider names none).
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { StreamkitError } from "../core/errors";
import type { JobRef } from "./job-ref";

type Resources = Record<string, Record<string, Record<string, unknown>>>;

const REFERENCE = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.([a-z0-9_]+)\}$/;

/** A literal string, or a `${type.name.attribute}` reference followed to its literal. */
function literal(value: unknown, resources: Resources, depth = 0): string | undefined {
  if (typeof value !== "string") return undefined;
  const ref = REFERENCE.exec(value);
  if (!ref) return value.includes("${") ? undefined : value;
  if (depth > 4) return undefined;
  return literal(resources[ref[1]!]?.[ref[2]!]?.[ref[3]!], resources, depth + 1);
}

/** `subscription` (--subscription) wins over the provider's. */
export function jobRefsFromSynth(outdir: string, stack: string, subscription?: string, env: NodeJS.ProcessEnv = process.env): JobRef[] {
  const file = join(outdir, "stacks", stack, "cdk.tf.json");
  const shown = relative(process.cwd(), file) || file;
  if (!existsSync(file)) {
    throw new StreamkitError(`stack '${stack}' is not synthesized (${shown} not found): run 'npx cdktf synth' first, or name the job with --from-outputs or --resource-group and --name`, { file: shown }, "SYNTH_OUT");
  }
  let document: { resource?: Resources; provider?: { azurerm?: Record<string, unknown>[] } };
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StreamkitError(`${shown} is not valid JSON: ${(error as Error).message}`, { file: shown }, "SYNTH_OUT");
  }
  const resources = document.resource ?? {};
  const jobs = Object.entries(resources.azurerm_stream_analytics_job ?? {});
  if (jobs.length === 0) throw new StreamkitError(`stack '${stack}' has no Stream Analytics job`, { file: shown }, "SYNTH_OUT");
  const fromProvider = literal(document.provider?.azurerm?.[0]?.subscription_id, resources);
  const subscriptionId = subscription || fromProvider || env.ARM_SUBSCRIPTION_ID || env.AZURE_SUBSCRIPTION_ID;
  if (!subscriptionId) {
    throw new StreamkitError(
      `stack '${stack}' names no subscription (its azurerm provider has no subscription_id): set ARM_SUBSCRIPTION_ID, or give --subscription`,
      { file: shown },
      "USAGE",
    );
  }
  return jobs.map(([id, job]) => {
    const name = literal(job.name, resources);
    const resourceGroup = literal(job.resource_group_name, resources);
    if (!name || !resourceGroup) {
      throw new StreamkitError(
        `the name or resource group of streaming job '${id}' in stack '${stack}' is only known after apply: name the job with --from-outputs or --resource-group and --name`,
        { file: shown, jsonPath: `resource.azurerm_stream_analytics_job.${id}` },
        "SYNTH_OUT",
      );
    }
    return { subscriptionId, resourceGroup, name };
  });
}
