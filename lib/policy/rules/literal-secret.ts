// No secret written into the code: a password, key, connection string, SAS token or private
// key in the synthesized JSON ends up in git, CI logs and Terraform state. Secrets come from
// sensitive variables, Key Vault references or, better, managed identities.
import { constructPathOf } from "../resources";
import type { Finding, Rule, SynthesizedStack } from "../types";

/** Keys whose string value is a secret (matched on the last key of a JSON path). */
export const SECRET_KEY =
  /(^|_)(password|passwd|secret|client_secret|connection_string|shared_access_key|shared_access_policy_key|access_key|account_key|primary_key|secondary_key|sas|sas_token|sas_url|api_key|auth_token|token|private_key|certificate_password)$/i;

/** Secret shapes found inside any string, whatever its key. */
const SECRET_VALUE_PATTERNS: { pattern: RegExp; what: string }[] = [
  { pattern: /\b(SharedAccessKey|AccountKey|SharedAccessSignature|AccessKey)=[^;${\s"]{8,}/i, what: "a connection string with a key" },
  // `Password=...` / `PWD = 'x'`, but not a placeholder such as `PASSWORD = '<the value of ...>'`.
  { pattern: /\b(Password|Pwd)\s*=\s*(?!['"]?<)['"]?[^;${\s"'<]+/i, what: "a connection string with a password" },
  { pattern: /[?&]sig=[A-Za-z0-9%+/=]{16,}/, what: "a SAS token" },
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, what: "a private key" },
];

/** Attributes of azurerm resources that hold secrets; an output exposing one must be sensitive. */
const SECRET_ATTRIBUTE_REF = /\.(primary|secondary)_(key|access_key|connection_string|connection_string_alias|blob_connection_string)\b|\.(connection_string|primary_key|secondary_key|access_key|administrator_login_password|sas|password|client_secret)\b|\.(default_primary_connection_string|default_secondary_connection_string|default_primary_key|default_secondary_key)\b/;

const isLiteralString = (v: unknown): v is string => typeof v === "string" && v.trim() !== "" && !v.includes("${");

type Found = Omit<Finding, "rule" | "stack">;

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

/** Resources whose attribute holds a secret whatever its name. */
const SECRET_ATTRIBUTES: Record<string, string> = {
  azurerm_key_vault_secret: "value",
};

function scan(address: string, body: unknown, constructPath?: string): Found[] {
  const found: Found[] = [];
  const attribute = SECRET_ATTRIBUTES[address.split(".")[0] ?? ""];
  const special = attribute ? (body as Record<string, unknown> | undefined)?.[attribute] : undefined;
  if (isLiteralString(special)) {
    found.push({ address, constructPath, message: `${attribute} holds a literal secret: a Key Vault secret's value must come from a sensitive variable or a generator, not the code` });
  }
  for (const { path, value } of strings(body, [])) {
    const where = path.join(".");
    if (SECRET_KEY.test(lastKey(path)) && isLiteralString(value)) {
      found.push({ address, constructPath, message: `${where} holds a literal secret: take it from a sensitive variable or Key Vault, or use a managed identity` });
      continue;
    }
    for (const { pattern, what } of SECRET_VALUE_PATTERNS) {
      if (pattern.test(value)) {
        found.push({ address, constructPath, message: `${where} contains ${what}: never write secrets into code` });
        break;
      }
    }
  }
  return found;
}

export function literalSecretFindings(stack: SynthesizedStack): Found[] {
  const json = stack.json;
  const found: Found[] = [];
  for (const [type, byName] of Object.entries(json.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) found.push(...scan(`${type}.${name}`, body, constructPathOf(body)));
  }
  for (const [type, byName] of Object.entries(json.data ?? {})) {
    for (const [name, body] of Object.entries(byName)) found.push(...scan(`data.${type}.${name}`, body, constructPathOf(body)));
  }
  for (const [name, body] of Object.entries(json.provider ?? {})) found.push(...scan(`provider.${name}`, body));
  for (const [name, body] of Object.entries(json.locals ?? {})) found.push(...scan(`local.${name}`, body));
  const backend = (json.terraform as { backend?: Record<string, unknown> } | undefined)?.backend;
  for (const [name, body] of Object.entries(backend ?? {})) found.push(...scan(`terraform.backend.${name}`, body));

  for (const [name, variable] of Object.entries(json.variable ?? {})) {
    const address = `var.${name}`;
    const secretLike = SECRET_KEY.test(name) || variable.sensitive === true;
    if (secretLike && variable.default !== undefined && variable.default !== null && variable.default !== "") {
      found.push({ address, message: "a secret variable has a default value: the secret is in the code; pass it at deploy time (TF_VAR_...)" });
    } else {
      found.push(...scan(address, { default: variable.default }));
    }
    if (SECRET_KEY.test(name) && variable.sensitive !== true) {
      found.push({ address, message: "the variable holds a secret but is not sensitive: Terraform would print it in plans and logs" });
    }
  }
  for (const [name, output] of Object.entries(json.output ?? {})) {
    const address = `output.${name}`;
    found.push(...scan(address, { value: output.value }));
    const text = JSON.stringify(output.value ?? "");
    if (output.sensitive !== true && SECRET_ATTRIBUTE_REF.test(text)) {
      found.push({ address, message: "the output exposes a key or connection string but is not sensitive" });
    }
  }
  return found;
}

export const literalSecretRule: Rule = {
  id: "literal-secret",
  description: "no literal password, key, connection string, SAS token or private key",
  check: ({ stack }) => literalSecretFindings(stack),
};
