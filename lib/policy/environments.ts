// The environments a stack is held to, read from the project's cdktf.json
// (`context.environments.<name>`: publicNetworkAccess, production), so that what the policy
// checks is the environment's word, not what a synthesized stack says about itself.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { StreamkitError } from "../core/errors";
import { NETWORK_EXPOSURES, type PolicyEnvironment } from "./types";

const environmentSchema = z.looseObject({
  publicNetworkAccess: z.enum(NETWORK_EXPOSURES as [string, ...string[]]).optional(),
  production: z.boolean().optional(),
});
const fileSchema = z.looseObject({
  context: z.looseObject({ environments: z.record(z.string(), environmentSchema) }).optional(),
  environments: z.record(z.string(), environmentSchema).optional(),
});

/** `cdktf.json` (its `context.environments`) or a JSON file `{ "environments": { … } }`. */
export function readEnvironments(file: string): Record<string, PolicyEnvironment> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StreamkitError(`cannot read the environments: ${(error as Error).message}`, { file }, "POLICY_INPUT");
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StreamkitError(`${issue.message} at ${issue.path.join(".")}`, { file }, "POLICY_INPUT");
  }
  const environments = parsed.data.context?.environments ?? parsed.data.environments;
  if (!environments) throw new StreamkitError("no environments: expected context.environments (cdktf.json) or environments", { file }, "POLICY_INPUT");
  return environments as Record<string, PolicyEnvironment>;
}
