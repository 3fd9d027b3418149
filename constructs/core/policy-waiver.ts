// Accepting a policy finding on purpose, in code, next to the reason. The waiver travels in
// the resource's "//" comment block of cdk.tf.json (Terraform ignores it), where
// `streamkit policy` reads it: the finding is still printed, marked waived with the reason,
// but no longer fails the check.
import type { IConstruct } from "constructs";
import { TerraformResource } from "cdktf";
import { isRuleName } from "../../lib/policy/check";
import type { RuleFamily } from "../../lib/policy/types";

export interface PolicyWaiver {
  /** A rule family (`local-auth`: every rule in it) or one rule id (`sql.allow-azure-services`). */
  rule: RuleFamily | string;
  reason: string;
}

/** Waivers already attached, so a second call adds to the first instead of replacing it. */
const attached = new WeakMap<TerraformResource, PolicyWaiver[]>();

/** Waives `rule` (a family or a rule id) on the resource, or on every resource under a construct. Returns the resources waived. */
export function waivePolicy(scope: IConstruct, rule: RuleFamily | string, reason: string): TerraformResource[] {
  if (!isRuleName(rule)) throw new Error(`'${rule}' is neither a policy rule family nor a rule id (lib/policy/README.md lists them)`);
  if (reason.trim().length < 10) throw new Error(`a policy waiver needs a reason a reviewer can judge (got '${reason}')`);
  const resources = scope.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource);
  if (resources.length === 0) throw new Error(`'${scope.node.path}' holds no Terraform resource to waive '${rule}' on`);
  for (const resource of resources) {
    const waivers = [...(attached.get(resource) ?? []), { rule, reason }];
    attached.set(resource, waivers);
    resource.addOverride("//.streamkit.waivers", waivers);
  }
  return resources;
}
