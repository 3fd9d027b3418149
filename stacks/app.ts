import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { App } from "cdktf";
import { loadEnvironments } from "./environments";
import { IotTelemetryStack } from "./iot-telemetry-stack";
import { ClickstreamStack } from "./clickstream-stack";
import { IotSparkStack } from "./iot-spark-stack";
import { SolutionStack } from "./solution-stack";
import type { StreamingPipeline } from "../constructs/pipeline";

/** The example solutions run by Stream Analytics: each has its query and job file in queries/<solution>/. */
export const STREAM_ANALYTICS_SOLUTIONS = {
  "iot-telemetry": IotTelemetryStack,
  clickstream: ClickstreamStack,
} as const;

/** The example solutions, each with one stack per environment (`<solution>-<environment>`). */
export const SOLUTIONS = {
  ...STREAM_ANALYTICS_SOLUTIONS,
  // The IoT solution again, with Spark Structured Streaming in place of Stream Analytics.
  "iot-spark": IotSparkStack,
} as const;

/** Builds every example stack for every environment of cdktf.json. */
export function buildApp(projectDir: string, outdir?: string): App {
  const app = new App(outdir ? { outdir } : {});
  const environments = loadEnvironments(projectDir);
  for (const [environment, settings] of Object.entries(environments)) {
    for (const [solution, Stack] of Object.entries(SOLUTIONS)) {
      new Stack(app, `${solution}-${environment}`, { environment, settings, projectDir });
    }
  }
  return app;
}

/** Every example stack of an app (Stream Analytics and Spark), in creation order. */
export function exampleStacks(app: App): SolutionStack[] {
  return app.node.children.filter((c): c is SolutionStack => c instanceof SolutionStack);
}

/** The Stream Analytics solution stacks of an app (those with a job pipeline), in creation order. */
export function solutionStacks(app: App): (SolutionStack & { pipeline: StreamingPipeline })[] {
  return app.node.children.filter((c): c is SolutionStack & { pipeline: StreamingPipeline } => c instanceof SolutionStack && "pipeline" in c);
}

/** Where the job file of a solution lives: beside its query, where `streamkit test` finds it. */
export function jobFileOf(solution: string): string {
  return `queries/${solution}/job.json`;
}

/**
 * Writes each solution's job model (as its first environment deploys it) to
 * `queries/<solution>/job.json`, so `streamkit run --job` and `streamkit test` run the job that
 * is deployed. Returns the files whose content changed.
 */
export function writeJobFiles(app: App, projectDir: string): string[] {
  const changed: string[] = [];
  const done = new Set<string>();
  for (const stack of solutionStacks(app)) {
    const solution = stack.node.id.slice(0, -(stack.environment.length + 1));
    if (done.has(solution)) continue;
    done.add(solution);
    const file = join(projectDir, jobFileOf(solution));
    const before = existsSync(file) ? readFileSync(file, "utf8") : undefined;
    stack.pipeline.job.writeJobFile(file);
    if (readFileSync(file, "utf8") !== before) changed.push(file);
  }
  return changed;
}
