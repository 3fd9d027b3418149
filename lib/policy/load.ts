// Finds the synthesized stacks to check: a cdktf.out directory (stacks/<name>/cdk.tf.json),
// one stack directory, or a Terraform JSON file.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { StreamkitError } from "../core/errors";
import type { SynthesizedStack, TerraformJson } from "./types";

export function readStackFile(file: string, name?: string): SynthesizedStack {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new StreamkitError(`cannot read Terraform JSON: ${(error as Error).message}`, { file }, "POLICY_INPUT");
  }
  if (!json || typeof json !== "object" || Array.isArray(json)) {
    throw new StreamkitError("not a Terraform JSON document (expected an object with 'resource', 'provider', ...)", { file }, "POLICY_INPUT");
  }
  const stackName = name ?? (basename(file) === "cdk.tf.json" ? basename(dirname(file)) : basename(file).replace(/(\.tf)?\.json$/, ""));
  return { name: stackName, file, json: json as TerraformJson };
}

export function loadStacks(path: string): SynthesizedStack[] {
  if (!existsSync(path)) throw new StreamkitError(`no such file or directory`, { file: path }, "POLICY_INPUT");
  if (statSync(path).isFile()) return [readStackFile(path)];
  const direct = join(path, "cdk.tf.json");
  if (existsSync(direct)) return [readStackFile(direct)];
  const stacksDir = join(path, "stacks");
  if (existsSync(stacksDir) && statSync(stacksDir).isDirectory()) {
    const stacks = readdirSync(stacksDir)
      .sort()
      .map((name) => join(stacksDir, name, "cdk.tf.json"))
      .filter((file) => existsSync(file))
      .map((file) => readStackFile(file));
    if (stacks.length > 0) return stacks;
  }
  throw new StreamkitError("no synthesized stack found (expected a cdktf.out directory with stacks/<name>/cdk.tf.json, a stack directory, or a .json file)", { file: path }, "POLICY_INPUT");
}
