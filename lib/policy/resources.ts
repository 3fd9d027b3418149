// Walks the resources of a synthesized stack with their Terraform addresses, and reads their
// attributes as Terraform would see them: literal, absent, or an expression known only at deploy.
import type { ResourceView, SynthesizedStack } from "./types";

export function resourcesOf(stack: SynthesizedStack, type?: string): ResourceView[] {
  const out: ResourceView[] = [];
  for (const [t, byName] of Object.entries(stack.json.resource ?? {})) {
    if (type !== undefined && t !== type) continue;
    for (const [name, body] of Object.entries(byName)) {
      out.push({ stack: stack.name, type: t, name, address: `${t}.${name}`, constructPath: constructPathOf(body), body });
    }
  }
  return out;
}

export function constructPathOf(body: unknown): string | undefined {
  const meta = (body as { "//"?: { metadata?: { path?: unknown } } } | undefined)?.["//"]?.metadata?.path;
  return typeof meta === "string" ? meta : undefined;
}

/** A nested block: Terraform JSON writes a single block as an object or a one-element list. */
export function block(body: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  const value = body[key];
  if (Array.isArray(value)) return (value[0] as Record<string, unknown> | undefined) ?? undefined;
  if (value && typeof value === "object") return value as Record<string, unknown>;
  return undefined;
}

/** Every block under a key (`network_rule_set.ip_rule` may be a list of blocks). */
export function blocks(body: Record<string, unknown> | undefined, key: string): Record<string, unknown>[] {
  const value = body?.[key];
  if (Array.isArray(value)) return value.filter((v): v is Record<string, unknown> => !!v && typeof v === "object");
  if (value && typeof value === "object") return [value as Record<string, unknown>];
  return [];
}

/** True when a value is, or holds, a Terraform expression (`${...}`) rather than a literal. */
export function isExpression(value: unknown): boolean {
  if (typeof value === "string") return value.includes("${");
  if (Array.isArray(value)) return value.some(isExpression);
  if (value && typeof value === "object") return Object.values(value).some(isExpression);
  return false;
}

/** The value at a dotted path of nested blocks (`network_rules.default_action`). */
export function attributeAt(body: Record<string, unknown>, path: string): unknown {
  let current: unknown = body;
  for (const key of path.split(".")) {
    if (Array.isArray(current)) current = current[0];
    if (!current || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export type Setting =
  | { kind: "absent" }
  | { kind: "literal"; value: unknown }
  /** Only known at deploy: a variable, a resource attribute, a function call. */
  | { kind: "expression"; value: unknown };

/** `${local.name}` alone: the local's value, when that is a literal (locals are fixed at synth). */
function resolveLocals(value: unknown, stack: SynthesizedStack, depth = 0): unknown {
  if (typeof value !== "string" || depth > 10) return value;
  const m = /^\$\{local\.([A-Za-z_][\w-]*)\}$/.exec(value);
  if (!m) return value;
  const local = stack.json.locals?.[m[1]!];
  return local === undefined ? value : resolveLocals(local, stack, depth + 1);
}

/** How a setting is given: absent, a literal (locals resolved), or an expression. */
export function settingOf(body: Record<string, unknown>, path: string, stack: SynthesizedStack): Setting {
  const raw = attributeAt(body, path);
  if (raw === undefined || raw === null) return { kind: "absent" };
  const value = Array.isArray(raw) ? raw.map((v) => resolveLocals(v, stack)) : resolveLocals(raw, stack);
  return isExpression(value) ? { kind: "expression", value } : { kind: "literal", value };
}

/** Is `${type.name.id}` (or any attribute of it) what this string refers to? */
export function refersTo(value: unknown, address: string): boolean {
  return typeof value === "string" && value.includes(`\${${address}.`);
}

/** A value as a finding shows it. */
export function show(value: unknown): string {
  return value === undefined ? "(not set)" : JSON.stringify(value);
}
