// No secret written into the code: a password, key, connection string, SAS token or private
// key in the synthesized JSON ends up in git, CI logs and Terraform state. Secrets come from
// sensitive variables, Key Vault references or, better, managed identities. A variable whose
// value flows into a secret (directly or through locals) is sensitive, whatever its name.
import { constructPathOf } from "../resources";
import type { Rule, SynthesizedStack, Violation } from "../types";

/** Keys whose string value is a secret (matched on the last key of a JSON path). */
export const SECRET_KEY =
  /(^|_)(password|passwd|secret|client_secret|connection_string|shared_access_key|shared_access_policy_key|access_key|account_key|storage_account_key|primary_key|secondary_key|sas|sas_token|sas_url|api_key|auth_token|token|private_key|certificate_password)$/i;

/** Secret shapes found inside any string, whatever its key. */
const SECRET_VALUE_PATTERNS: { pattern: RegExp; what: string }[] = [
  { pattern: /\b(SharedAccessKey|AccountKey|SharedAccessSignature|AccessKey)=[^;${\s"]{8,}/i, what: "a connection string with a key" },
  // `Password=...` / `PWD = 'x'`, but not a placeholder such as `PASSWORD = '<the value of ...>'`.
  { pattern: /\b(Password|Pwd)\s*=\s*(?!['"]?<)['"]?[^;${\s"'<]+/i, what: "a connection string with a password" },
  { pattern: /[?&]sig=[A-Za-z0-9%+/=]{16,}/, what: "a SAS token" },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: "a private key" },
];

/** Attributes of azurerm resources that hold secrets; an output exposing one must be sensitive. */
export const SECRET_ATTRIBUTE_REF = /\.(primary|secondary)_(key|access_key|connection_string|connection_string_alias|blob_connection_string)\b|\.(connection_string|primary_key|secondary_key|access_key|administrator_login_password|sas|password|client_secret)\b|\.(default_primary_connection_string|default_secondary_connection_string|default_primary_key|default_secondary_key)\b/;

/** Resources whose attribute holds a secret whatever its name. */
const SECRET_ATTRIBUTES: Record<string, string> = {
  azurerm_key_vault_secret: "value",
};

const isLiteralString = (v: unknown): v is string => typeof v === "string" && v.trim() !== "" && !v.includes("${");
const PLACE_SECRET = "take it from a sensitive variable (TF_VAR_…) or Key Vault, or use a managed identity";

/** Every string under a value, with its path of keys. */
function* strings(value: unknown, path: string[]): Generator<{ path: string[]; value: string }> {
  if (typeof value === "string") yield { path, value };
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, [...path, String(i)]);
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) if (k !== "//") yield* strings(v, [...path, k]);
  }
}

function lastKey(path: string[]): string {
  for (let i = path.length - 1; i >= 0; i--) if (!/^\d+$/.test(path[i]!)) return path[i]!;
  return "";
}

/** Every place of the stack that can hold a secret: resources, data sources, providers, backend, locals. */
function* places(json: SynthesizedStack["json"]): Generator<{ address: string; body: unknown; constructPath?: string }> {
  for (const [type, byName] of Object.entries(json.resource ?? {})) for (const [name, body] of Object.entries(byName)) yield { address: `${type}.${name}`, body, constructPath: constructPathOf(body) };
  for (const [type, byName] of Object.entries(json.data ?? {})) for (const [name, body] of Object.entries(byName)) yield { address: `data.${type}.${name}`, body, constructPath: constructPathOf(body) };
  for (const [name, body] of Object.entries(json.provider ?? {})) yield { address: `provider.${name}`, body };
  for (const [name, body] of Object.entries(json.locals ?? {})) yield { address: `local.${name}`, body };
  const backend = (json.terraform as { backend?: Record<string, unknown> } | undefined)?.backend;
  for (const [name, body] of Object.entries(backend ?? {})) yield { address: `terraform.backend.${name}`, body };
}

/** Strings under a place that hold a secret: a secret-named key, or a resource's secret attribute. */
function* secretStrings(address: string, body: unknown): Generator<{ where: string; value: string }> {
  const special = SECRET_ATTRIBUTES[address.split(".")[0] ?? ""];
  for (const { path, value } of strings(body, [])) {
    if (SECRET_KEY.test(lastKey(path)) || (special !== undefined && path[0] === special)) yield { where: path.join("."), value };
  }
}

function literalFindings(address: string, body: unknown, constructPath?: string): Violation[] {
  const found: Violation[] = [];
  const secretPaths = new Set<string>();
  for (const { where, value } of secretStrings(address, body)) {
    secretPaths.add(where);
    if (isLiteralString(value)) found.push({ address, constructPath, attribute: where, value: "(redacted)", message: `${where} holds a literal secret`, fix: PLACE_SECRET });
  }
  for (const { path, value } of strings(body, [])) {
    if (secretPaths.has(path.join("."))) continue;
    const shape = SECRET_VALUE_PATTERNS.find(({ pattern }) => pattern.test(value));
    if (shape) found.push({ address, constructPath, attribute: path.join("."), value: "(redacted)", message: `${path.join(".")} contains ${shape.what}`, fix: `never write secrets into code: ${PLACE_SECRET}` });
  }
  return found;
}

const literalSecretRule: Rule = {
  id: "secrets.literal",
  family: "literal-secret",
  severity: "high",
  title: "no literal password, key, connection string, SAS token or private key anywhere: resources, data sources, providers, backend, locals, variable defaults, outputs",
  checkov: [],
  psrule: ["Azure.Deployment.SecureValue"],
  resourceTypes: ["*"],
  check({ stack }) {
    const json = stack.json;
    const found: Violation[] = [];
    for (const place of places(json)) found.push(...literalFindings(place.address, place.body, place.constructPath));
    for (const [name, variable] of Object.entries(json.variable ?? {})) {
      const address = `var.${name}`;
      const secretLike = SECRET_KEY.test(name) || variable.sensitive === true;
      if (secretLike && variable.default !== undefined && variable.default !== null && variable.default !== "") {
        found.push({ address, attribute: "default", value: "(redacted)", message: "a secret variable has a default value: the secret is in the code", fix: "remove the default; pass the value at deploy time (TF_VAR_…)" });
      } else {
        found.push(...literalFindings(address, { default: variable.default }));
      }
    }
    for (const [name, output] of Object.entries(json.output ?? {})) found.push(...literalFindings(`output.${name}`, { value: output.value }));
    return found;
  },
};

const secretOutputRule: Rule = {
  id: "secrets.output",
  family: "literal-secret",
  severity: "high",
  title: "an output exposing a key or connection string is sensitive",
  checkov: [],
  psrule: ["Azure.Deployment.OutputSecretValue"],
  resourceTypes: ["output"],
  check({ stack }) {
    const found: Violation[] = [];
    for (const [name, output] of Object.entries(stack.json.output ?? {})) {
      const text = JSON.stringify(output.value ?? "");
      if (output.sensitive !== true && SECRET_ATTRIBUTE_REF.test(text)) {
        found.push({ address: `output.${name}`, attribute: "sensitive", value: output.sensitive, message: "the output exposes a key or connection string but is not sensitive", fix: "set sensitive = true (or drop the output and use managed identities)" });
      }
    }
    return found;
  },
};

/** `var.x` and `local.y` references in a string. */
function references(text: string): { vars: string[]; locals: string[] } {
  const vars = [...text.matchAll(/\bvar\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]!);
  const locals = [...text.matchAll(/\blocal\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]!);
  return { vars, locals };
}

/** The variables whose value reaches a string, through any chain of locals. */
function variablesReaching(text: string, json: SynthesizedStack["json"], seen = new Set<string>()): string[] {
  const { vars, locals } = references(text);
  const out = [...vars];
  for (const local of locals) {
    if (seen.has(local)) continue;
    seen.add(local);
    out.push(...variablesReaching(JSON.stringify(json.locals?.[local] ?? ""), json, seen));
  }
  return out;
}

const sensitiveVariableRule: Rule = {
  id: "secrets.variable-sensitive",
  family: "literal-secret",
  severity: "high",
  title: "a variable that is secret-named, or whose value flows (directly or through locals) into a password, key, token or connection string, is sensitive",
  checkov: [],
  psrule: ["Azure.Deployment.SecureParameter"],
  resourceTypes: ["variable"],
  check({ stack }) {
    const json = stack.json;
    const sinks = new Map<string, string>();
    for (const place of places(json)) {
      if (place.address.startsWith("local.")) continue; // a local is followed from where it is used
      for (const { where, value } of secretStrings(place.address, place.body)) {
        for (const name of variablesReaching(value, json)) if (!sinks.has(name)) sinks.set(name, `${place.address}.${where}`);
      }
    }
    const found: Violation[] = [];
    for (const [name, variable] of Object.entries(json.variable ?? {})) {
      if (variable.sensitive === true) continue;
      const sink = sinks.get(name);
      if (sink === undefined && !SECRET_KEY.test(name)) continue;
      found.push({
        address: `var.${name}`,
        attribute: "sensitive",
        value: variable.sensitive,
        message: sink ? `the variable feeds ${sink} but is not sensitive: Terraform would print the secret in plans and logs` : "the variable holds a secret but is not sensitive: Terraform would print it in plans and logs",
        fix: "declare the variable with sensitive = true",
      });
    }
    return found;
  },
};

export const secretRules: Rule[] = [literalSecretRule, secretOutputRule, sensitiveVariableRule];
