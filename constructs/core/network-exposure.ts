// What a stack's environment allows its public endpoints to be, written into the synthesized
// stack (the top-level "//" comment block of cdk.tf.json, which Terraform ignores).
// `streamkit policy` takes the exposure from the environment in cdktf.json; this declaration
// only counts where it is stricter (a stack cannot open itself up by editing it).
import type { TerraformStack } from "cdktf";
import { STACK_EXPOSURE_PATH, type NetworkExposure } from "../../lib/policy/types";

export function declarePublicNetworkAccess(stack: TerraformStack, exposure: NetworkExposure): void {
  stack.addOverride(STACK_EXPOSURE_PATH.join("."), exposure);
}
