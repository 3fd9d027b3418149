// A stack to build constructs in, its synthesized JSON, and cleanup of the outdirs
// Testing.app() leaves in /tmp.
import { rmSync } from "node:fs";
import { TerraformStack, Testing } from "cdktf";
import type { TerraformConstructor } from "cdktf/lib/testing/matchers";
import "cdktf/lib/testing/adapters/jest";
import { addAzureProvider } from "../../constructs/core/azure-provider";
import { declareProduction } from "../../constructs/core/environment-profile";

// cdktf's matchers (toHaveResourceWithProperties, snake_case keys).
Testing.setupJest();

/** A resource type for cdktf's matchers; tests may not import provider classes (architecture rule). */
export function tf(type: string): TerraformConstructor {
  return { tfResourceType: type } as unknown as TerraformConstructor;
}

const outdirs: string[] = [];

/** A stack that declares no environment gets the constructs' production defaults; `{ production: false }` declares a non-production one. */
export function newStack(id = "test", environment: { production?: boolean } = {}): TerraformStack {
  const app = Testing.app();
  outdirs.push(app.outdir);
  const stack = new TerraformStack(app, id);
  if (environment.production !== undefined) declareProduction(stack, environment.production);
  addAzureProvider(stack);
  return stack;
}

export function cleanupOutdirs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Synthesized JSON text, with validations run (as `cdktf synth` does). */
export function synth(stack: TerraformStack): string {
  return Testing.synth(stack, true);
}

/** The validation errors of synthesizing a stack (as `cdktf synth` reports them), or "" when it synthesizes. */
export function synthErrors(stack: TerraformStack): string {
  try {
    Testing.synth(stack, true);
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}

/** Parsed cdk.tf.json. */
export function synthJson(stack: TerraformStack): { resource?: Record<string, Record<string, any>>; data?: Record<string, Record<string, any>>; variable?: Record<string, any>; output?: Record<string, any> } {
  return JSON.parse(synth(stack));
}

/** Every resource of a type, in synth order. */
export function resourcesOf(stack: TerraformStack, type: string): any[] {
  return Object.values(synthJson(stack).resource?.[type] ?? {});
}

export const PLACEMENT = { resourceGroupName: "rg-skdev-streaming", location: "westeurope" };
export const WORKSPACE_ID = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-obs/providers/Microsoft.OperationalInsights/workspaces/log-skdev";
