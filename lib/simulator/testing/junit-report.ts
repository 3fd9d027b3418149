// JUnit XML for CI systems: one <testsuite> per job, one <testcase> per case.
import { formatFailure, shownPath, type TextReportOptions } from "./text-report";
import type { CaseResult } from "./types";

const xml = (s: string) =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

const seconds = (ms: number) => (ms / 1000).toFixed(3);

export function formatJunitReport(results: CaseResult[], cwd: string): string {
  const suites = new Map<string, CaseResult[]>();
  for (const r of results) {
    const [job] = r.testCase.name.split(" › ");
    const list = suites.get(job) ?? [];
    list.push(r);
    suites.set(job, list);
  }
  const failures = results.filter((r) => r.status === "failed").length;
  const total = results.reduce((t, r) => t + r.durationMs, 0);
  const text: TextReportOptions = { color: false, cwd };
  const out = [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="streamkit" tests="${results.length}" failures="${failures}" time="${seconds(total)}">`];
  for (const [job, list] of suites) {
    const f = list.filter((r) => r.status === "failed").length;
    const time = list.reduce((t, r) => t + r.durationMs, 0);
    out.push(`  <testsuite name="${xml(job)}" tests="${list.length}" failures="${f}" errors="0" skipped="0" time="${seconds(time)}">`);
    for (const r of list) {
      const name = r.testCase.name.split(" › ").slice(1).join(" › ") || r.testCase.name;
      const attrs = `name="${xml(name)}" classname="${xml(job)}" file="${xml(shownPath(r.testCase.source, cwd))}" time="${seconds(r.durationMs)}"`;
      if (r.status !== "failed") {
        out.push(`    <testcase ${attrs}/>`);
        continue;
      }
      const message = r.error ?? r.outputs.filter((o) => !o.pass).map((o) => `output '${o.alias}' differs`).join("; ");
      out.push(`    <testcase ${attrs}>`);
      out.push(`      <failure message="${xml(message.split("\n")[0])}">${xml(formatFailure(r, text))}</failure>`);
      out.push(`    </testcase>`);
    }
    out.push(`  </testsuite>`);
  }
  out.push(`</testsuites>`);
  return out.join("\n") + "\n";
}
