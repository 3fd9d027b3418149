// Which streaming job: subscription, resource group and name — given on the command line or
// found in a stack's Terraform outputs (any output whose value is a streaming job's ID).
import { existsSync, readFileSync } from "node:fs";
import { StreamkitError } from "../core/errors";

export interface JobRef {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
}

const JOB_ID_RE =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/Microsoft\.StreamAnalytics\/streamingjobs\/([^/]+)$/i;

/** `/subscriptions/…/resourceGroups/…/providers/Microsoft.StreamAnalytics/streamingjobs/…` → JobRef. */
export function parseJobId(id: string): JobRef | undefined {
  const match = JOB_ID_RE.exec(id.trim());
  if (!match) return undefined;
  return { subscriptionId: match[1]!, resourceGroup: match[2]!, name: match[3]! };
}

export function jobPath(ref: JobRef): string {
  return (
    `/subscriptions/${encodeURIComponent(ref.subscriptionId)}/resourceGroups/${encodeURIComponent(ref.resourceGroup)}` +
    `/providers/Microsoft.StreamAnalytics/streamingjobs/${encodeURIComponent(ref.name)}`
  );
}

export function describeJob(ref: JobRef): string {
  return `streaming job '${ref.name}' in resource group '${ref.resourceGroup}'`;
}

/** Every distinct streaming job ID anywhere in a JSON value, in document order. */
function collectJobIds(value: unknown, found: Map<string, JobRef>): void {
  if (typeof value === "string") {
    const ref = parseJobId(value);
    const key = value.trim().toLowerCase();
    if (ref && !found.has(key)) found.set(key, ref);
  } else if (Array.isArray(value)) {
    for (const item of value) collectJobIds(item, found);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) collectJobIds(item, found);
  }
}

/** `terraform output -json`: every output is `{ value, type, sensitive }`, not keyed by stack. */
function isTerraformOutputJson(top: Record<string, unknown>): boolean {
  const values = Object.values(top);
  return values.length > 0 && values.every((v) => v !== null && typeof v === "object" && "value" in (v as object));
}

/**
 * Streaming jobs named in a Terraform outputs file: `cdktf deploy --outputs-file` (`{stack: {output: value}}`)
 * or `terraform output -json` (`{output: {value}}`). With `stack`, only that stack's outputs count when the
 * file is keyed by stack.
 */
export function jobRefsFromOutputs(file: string, stack?: string): JobRef[] {
  if (!existsSync(file)) throw new StreamkitError(`outputs file not found: ${file}`, { file }, "OUTPUTS_FILE");
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StreamkitError(`outputs file is not valid JSON: ${(error as Error).message}`, { file }, "OUTPUTS_FILE");
  }
  let scope = document;
  if (stack !== undefined && document && typeof document === "object" && !Array.isArray(document)) {
    const top = document as Record<string, unknown>;
    if (stack in top) scope = top[stack];
    else if (!isTerraformOutputJson(top)) {
      // Keyed by stack (cdktf --outputs-file) but not by this one: never fall back to other stacks' jobs.
      throw new StreamkitError(
        `stack '${stack}' is not in the outputs file (it has: ${Object.keys(top).join(", ") || "nothing"})`,
        { file },
        "OUTPUTS_FILE",
      );
    }
  }
  const found = new Map<string, JobRef>();
  collectJobIds(scope, found);
  if (found.size === 0) {
    throw new StreamkitError(
      `no streaming job ID (/subscriptions/…/providers/Microsoft.StreamAnalytics/streamingjobs/…) among the outputs${stack ? ` of stack '${stack}'` : ""}; add a TerraformOutput with the job's id, or give --subscription, --resource-group and --name`,
      { file },
      "OUTPUTS_FILE",
    );
  }
  return [...found.values()];
}
