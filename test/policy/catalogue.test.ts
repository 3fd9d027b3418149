// The rule catalogue in lib/policy/README.md is the rules' own data: one row per rule, with its
// family, severity and Checkov/PSRule equivalents as the code has them.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { RULES, RULE_FAMILIES } from "../../lib/policy";

const README = readFileSync(resolve(__dirname, "../../lib/policy/README.md"), "utf8");
const rows = README.split("\n").filter((line) => /^\| `[\w.-]+` \|/.test(line)).map((line) => line.split(" | ").map((cell) => cell.replace(/^\| |\s*\|$/g, "")));

describe("the rule catalogue (lib/policy/README.md)", () => {
  it("has one row per rule, with the rule's family, severity and equivalents", () => {
    expect(rows.map((r) => r[0])).toEqual(RULES.map((r) => `\`${r.id}\``));
    for (const rule of RULES) {
      const [, family, severity, , checkov, psrule] = rows.find((r) => r[0] === `\`${rule.id}\``)!;
      expect({ id: rule.id, family, severity, checkov, psrule }).toEqual({
        id: rule.id,
        family: rule.family,
        severity: `${rule.severity}${rule.productionOnly ? " (production)" : ""}`,
        checkov: rule.checkov.join(", ") || "—",
        psrule: rule.psrule.join(", ") || "—",
      });
    }
  });

  it("has unique ids, prefixed by their service, in known families", () => {
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^(storage|eventhubs|iothub|sql|synapse|adx|databricks|hdinsight|asa|loganalytics|servicebus|cosmos|eventgrid|redis|keyvault|backend|diagnostics|secrets)\.[a-z-]+$/);
      expect(RULE_FAMILIES).toContain(rule.family);
    }
  });
});
