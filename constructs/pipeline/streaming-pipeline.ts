// A whole streaming solution in a few lines: sources → a Stream Analytics job → sinks.
// Each source and sink is either a service construct that already exists (reused) or a factory
// that creates it inside the pipeline; the job reads and writes each with its managed identity,
// and the grants are made by the job at the narrowest scope.
import { Construct } from "constructs";
import { StreamkitError } from "../../lib/core/errors";
import type { JobSpec } from "../../lib/job";
import {
  StreamAnalyticsJob,
  type InputOptions,
  type JavaScriptFunctionOptions,
  type OutputOptions,
  type StreamAnalyticsJobProps,
} from "../job";

/** An existing service construct, or a factory that makes one in the pipeline's scope. */
export type ServiceOrFactory = object | ((scope: Construct, id: string) => object);

export interface PipelineSource extends InputOptions {
  from: ServiceOrFactory;
}

export interface PipelineSink extends OutputOptions {
  to: ServiceOrFactory;
}

export interface StreamingPipelineProps extends Omit<StreamAnalyticsJobProps, "queryFile"> {
  /** The job's query, relative to `projectDir`. */
  query: string;
  /** Input alias → where events come from. */
  sources: Record<string, PipelineSource>;
  /** Output alias → where rows go. */
  sinks: Record<string, PipelineSink>;
  /** JavaScript UDFs/UDAs from `Functions/<name>.js` beside the query; `{}` reads the types from `Functions/<name>.json`. */
  functions?: Record<string, JavaScriptFunctionOptions | Record<string, never>>;
}

export class StreamingPipeline extends Construct {
  readonly job: StreamAnalyticsJob;
  /** The service each input alias reads and each output alias writes (created or reused). */
  readonly services: Record<string, object> = {};

  constructor(scope: Construct, id: string, props: StreamingPipelineProps) {
    super(scope, id);
    const { query, sources, sinks, functions, ...jobProps } = props;
    if (Object.keys(sources).length === 0) throw new StreamkitError(`pipeline '${id}' has no source`, undefined, "PIPELINE");
    if (Object.keys(sinks).length === 0) throw new StreamkitError(`pipeline '${id}' has no sink`, undefined, "PIPELINE");

    this.job = new StreamAnalyticsJob(this, "job", { ...jobProps, queryFile: query });
    for (const [name, options] of Object.entries(functions ?? {})) this.job.addFunction(name, "inputs" in options ? (options as JavaScriptFunctionOptions) : undefined);
    for (const [alias, { from, ...options }] of Object.entries(sources)) {
      const service = this.resolve(from, `source-${alias}`);
      this.services[alias] = service;
      this.job.addInput(alias, service, options);
    }
    for (const [alias, { to, ...options }] of Object.entries(sinks)) {
      const service = this.resolve(to, `sink-${alias}`);
      this.services[alias] = service;
      this.job.addOutput(alias, service, options);
    }
  }

  /** The job model: what `streamkit run` / `streamkit test` run. */
  get spec(): JobSpec {
    return this.job.spec;
  }

  private resolve(value: ServiceOrFactory, id: string): object {
    return typeof value === "function" ? value(this, id) : value;
  }
}
