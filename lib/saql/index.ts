// The SAQL front end's public entry points: parse a query into the syntax tree, or parse and
// check it (names, functions, aggregates, windows, joins, output tables) against a job.
import type { JobSpec } from "../job/schema";
import type { Script } from "./ast";
import { checkScript } from "./check/checker";
import { sortDiagnostics, type Diagnostic } from "./check/diagnostics";
import { parse } from "./syntax/parser";

export type { Diagnostic } from "./check/diagnostics";
export { lookupFunction, BUILTIN_FUNCTIONS, type FunctionSignature, type FunctionKind } from "./catalog";

/** What a check finds: the tree, the diagnostics and the names the query uses, as ASA's compile result lists them. */
export interface CheckResult {
  script?: Script;
  diagnostics: Diagnostic[];
  /** Input aliases read by the query (as the job spells them when a job is given). */
  inputs: string[];
  /** Output aliases written by the query (`output` for a SELECT without INTO). */
  outputs: string[];
  /** JavaScript/ML functions the query calls (`udf.x` → `x`). */
  functions: string[];
}

/** Parses a query; syntax errors come back as diagnostics, never as exceptions. */
export function parseQuery(text: string, _file?: string): { script?: Script; diagnostics: Diagnostic[] } {
  const result = parse(text);
  return { script: result.script, diagnostics: sortDiagnostics(result.diagnostics) };
}

/**
 * Parses and checks a query. With `job`, sources must be its inputs (or earlier steps),
 * INTO targets its outputs and `udf.` calls its functions; without it, any FROM name that
 * is not a step is taken as an input and any INTO name as an output. With `local`, what only
 * Azure can run (C# and Azure ML functions) is an error: the query is to run on this machine.
 */
export function checkQuery(text: string, options: { file?: string; job?: JobSpec; local?: boolean } = {}): CheckResult {
  const parsed = parse(text);
  if (!parsed.script) return { diagnostics: sortDiagnostics(parsed.diagnostics), inputs: [], outputs: [], functions: [] };
  const checked = checkScript(parsed.script, { job: options.job, hasSyntaxErrors: parsed.diagnostics.length > 0, local: options.local });
  return {
    script: parsed.script,
    // After a syntax error the parser recovers, and what it recovered can draw further
    // diagnostics: those never print before the syntax error that caused them.
    diagnostics: parsed.diagnostics.length ? [...sortDiagnostics(parsed.diagnostics), ...sortDiagnostics(checked.diagnostics)] : sortDiagnostics(checked.diagnostics),
    inputs: checked.inputs,
    outputs: checked.outputs,
    functions: checked.functions,
  };
}
