// Whether the stack a construct belongs to is a production environment. Constructs are secure
// by default and stricter in production: infrastructure (double) encryption, Synapse
// exfiltration protection and auditing are on there by default. A stack that says nothing is
// treated as production (the strict side); a non-production stack says so before it adds
// anything (`declareProduction(stack, false)`), as the example stacks do from cdktf.json.
import type { IConstruct } from "constructs";

const KEY = "streamkit:production";

export function declareProduction(stack: IConstruct, production: boolean): void {
  stack.node.setContext(KEY, production);
}

export function isProduction(scope: IConstruct): boolean {
  return scope.node.tryGetContext(KEY) !== false;
}
