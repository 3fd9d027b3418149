// Per-environment settings, read from cdktf.json `context.environments` (the CLI passes the
// context to the app in CDKTF_CONTEXT_JSON; a plain `tsx main.ts` reads cdktf.json itself).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { StreamkitError } from "../lib/core/errors";
import { formatJsonPath } from "../lib/job";

export const environmentSchema = z.strictObject({
  location: z.string().min(1),
  namePrefix: z.string().regex(/^[a-z][a-z0-9]{1,11}$/, "a name prefix is 2-12 lowercase letters and digits"),
  subscriptionId: z.string().uuid().optional(),
  tags: z.record(z.string(), z.string()).default({}),
  backend: z
    .strictObject({ resourceGroupName: z.string(), storageAccountName: z.string(), containerName: z.string() })
    .optional(),
});
export type EnvironmentSettings = z.infer<typeof environmentSchema>;
export type Environments = Record<string, EnvironmentSettings>;

export function parseEnvironments(value: unknown, source: string): Environments {
  const result = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), environmentSchema).safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new StreamkitError(issue.message, { file: source, jsonPath: `context.environments.${formatJsonPath(issue.path)}` });
  }
  return result.data;
}

/** The environments of this project: from the cdktf CLI's context, else from cdktf.json. */
export function loadEnvironments(projectDir: string): Environments {
  const fromCli = process.env.CDKTF_CONTEXT_JSON;
  if (fromCli) {
    const context = JSON.parse(fromCli) as { environments?: unknown };
    if (context.environments) return parseEnvironments(context.environments, "CDKTF_CONTEXT_JSON");
  }
  const file = join(projectDir, "cdktf.json");
  const config = JSON.parse(readFileSync(file, "utf8")) as { context?: { environments?: unknown } };
  return parseEnvironments(config.context?.environments ?? {}, file);
}
