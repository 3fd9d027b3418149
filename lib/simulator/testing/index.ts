// Query tests: discovery (streamkit layout, ASA testConfig.json), run, compare, report.
export * from "./types";
export { discoverCases, testConfigCases } from "./discover";
export { compareRows, DEFAULT_COMPARE } from "./compare";
export { runCase, runCases, describeError, type RunCasesOptions } from "./runner";
export { formatTextReport, formatCaseLine, formatFailure, summaryLine, type TextReportOptions } from "./text-report";
export { formatJunitReport } from "./junit-report";
export { loadRunQuery } from "./engine";
export { caseFileSchema, type CaseFile } from "./case-file";
