// Walks the resources of a synthesized stack with their Terraform addresses.
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

/** True when a value is a Terraform expression (`${...}`) rather than a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}
