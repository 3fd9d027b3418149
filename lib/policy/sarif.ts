// The findings as SARIF 2.1.0, for GitHub code scanning and Azure DevOps: one run, every rule
// in the driver (with its Checkov and PSRule equivalents), one result per finding located in
// the stack's cdk.tf.json, waived findings as suppressions with their reason.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Finding, Rule, Severity, SynthesizedStack } from "./types";

const LEVEL: Record<Severity, Result.level> = { high: "error", medium: "warning", low: "note" };
/** GitHub ranks security alerts by this property (0-10). */
const SECURITY_SEVERITY: Record<Severity, string> = { high: "8.0", medium: "5.5", low: "2.0" };

function descriptor(rule: Rule): ReportingDescriptor {
  const equivalents = [...rule.checkov.map((c) => `Checkov ${c}`), ...rule.psrule.map((p) => `PSRule ${p}`)];
  return {
    id: rule.id,
    name: rule.id.replace(/[.-](\w)/g, (_, c: string) => c.toUpperCase()).replace(/^\w/, (c) => c.toUpperCase()),
    shortDescription: { text: rule.title },
    fullDescription: { text: `${rule.title}${rule.productionOnly ? " (production environments)" : ""}${equivalents.length ? `. Equivalent to ${equivalents.join(", ")}.` : "."}` },
    help: { text: `${rule.title}. See lib/policy/README.md, rule ${rule.id}.` },
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: { tags: ["security", rule.family, ...rule.checkov, ...rule.psrule], "security-severity": SECURITY_SEVERITY[rule.severity], precision: "high", checkov: rule.checkov, psrule: rule.psrule },
  };
}

/** The 1-based line where a resource (or block) starts in the stack's file, when it can be found. */
function lineOf(text: string, finding: Finding): number | undefined {
  const parts = finding.address.split(".");
  const keys = parts[0] === "var" ? ["variable", parts[1]] : parts[0] === "output" ? ["output", parts[1]] : parts[0] === "terraform" ? ["backend", parts[2]] : parts[0] === "data" ? [parts[1], parts[2]] : [parts[0], parts[1]];
  let at = 0;
  for (const key of keys) {
    if (key === undefined) continue;
    const found = text.indexOf(`"${key}"`, at);
    if (found < 0) return undefined;
    at = found;
  }
  return text.slice(0, at).split("\n").length;
}

function fingerprint(finding: Finding): string {
  return createHash("sha256").update([finding.stack, finding.address, finding.id, finding.attribute ?? ""].join("\u0000")).digest("hex").slice(0, 32);
}

export function toSarif(stacks: SynthesizedStack[], findings: Finding[], rules: readonly Rule[], options: { cwd?: string } = {}): Log {
  const cwd = options.cwd ?? process.cwd();
  const texts = new Map<string, string>();
  const textOf = (stack: SynthesizedStack) => {
    if (!texts.has(stack.file)) {
      let text = "";
      try {
        text = readFileSync(stack.file, "utf8");
      } catch {
        // A stack given in memory: located by file only.
      }
      texts.set(stack.file, text);
    }
    return texts.get(stack.file)!;
  };
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results: Result[] = findings.map((finding) => {
    const stack = byName.get(finding.stack);
    const uri = stack ? relative(cwd, stack.file).split("\\").join("/") : finding.stack;
    const line = stack ? lineOf(textOf(stack), finding) : undefined;
    const result: Result = {
      ruleId: finding.id,
      ruleIndex: index.get(finding.id),
      level: LEVEL[finding.severity],
      message: { text: `${finding.address}${finding.constructPath ? ` (${finding.constructPath})` : ""}: ${finding.message}. Fix: ${finding.fix}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri }, ...(line ? { region: { startLine: line } } : {}) },
          logicalLocations: [{ fullyQualifiedName: finding.address, kind: "resource" }, ...(finding.constructPath ? [{ fullyQualifiedName: finding.constructPath, kind: "module" }] : [])],
        },
      ],
      partialFingerprints: { "streamkitFinding/v1": fingerprint(finding) },
      properties: {
        stack: finding.stack,
        family: finding.rule,
        severity: finding.severity,
        ...(finding.constructPath ? { constructPath: finding.constructPath } : {}),
        ...(finding.attribute ? { attribute: finding.attribute } : {}),
        ...(finding.value !== undefined ? { value: finding.value } : {}),
        fix: finding.fix,
        checkov: finding.checkov,
        psrule: finding.psrule,
        ...(finding.cannotVerify ? { cannotVerify: true } : {}),
      },
    };
    if (finding.waived) result.suppressions = [{ kind: finding.waiverReason === "waived on the command line" ? "external" : "inSource", status: "accepted", justification: finding.waiverReason }];
    return result;
  });
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "streamkit policy", rules: rules.map(descriptor) } },
        originalUriBaseIds: { "%SRCROOT%": { uri: `file://${cwd.split("\\").join("/").replace(/\/?$/, "/")}` } },
        results,
        columnKind: "unicodeCodePoints",
      },
    ],
  };
}
