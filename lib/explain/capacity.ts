// Capacity estimates: the streaming units (V2) a workload needs and the state each step holds.
// Every figure is an estimate and says what it rests on: the documented proportionalities of the
// streaming-units article, the parallelization article's measured throughput table, the workload
// given (or measured from a file) and the few sizes assumed where no document gives one.
import type { EventOrdering } from "../job/schema";
import { CITE, cite } from "./citations";
import type { JobParallelism } from "./parallelism";
import type { StepInfo } from "./topology";

export interface Workload {
  /** Events per second of each stream input (by lower-case alias), or one rate for every input. */
  eventsPerSecond?: number | Record<string, number>;
  /** Distinct values of the grouping / partitioning keys. */
  keys?: number;
  /** Average size of one event in bytes. */
  eventBytes?: number;
  /** Reference data size in bytes, by lower-case input alias. */
  referenceBytes?: Record<string, number>;
  /** Where these figures come from ("given", "measured from data/x.json"). */
  source?: string;
}

export interface Estimate {
  /** Undefined when it cannot be estimated (the basis says what is missing). */
  value?: number;
  unit: "bytes" | "SU V2" | "events/s";
  /** Always true: no figure here is measured on Azure. */
  estimate: true;
  basis: string[];
}

export interface StepCapacity {
  step: string;
  eventsPerSecond: Estimate;
  state: Estimate;
}

export interface Capacity {
  workload: Workload & { assumptions: string[] };
  steps: StepCapacity[];
  reorderBuffer?: Estimate;
  totalState: Estimate;
  streamingUnits: Estimate;
}

/** Assumed when not given: a typical small JSON telemetry event. */
export const DEFAULT_EVENT_BYTES = 500;
/** Assumed per group and open window: its key and running aggregates (no document gives a size). */
export const GROUP_STATE_BYTES = 256;
/** Passthrough throughput of one SU V2: the article's Event Hub table, 5K events/s on 6 SU V1 = one node. */
export const EVENTS_PER_SU_V2 = 5000;
/** The SU V2 sizes a job can have (ASA goes to 66 SU V2). */
export const SU_V2_SIZES: readonly number[] = [1 / 3, 2 / 3, ...Array.from({ length: 66 }, (_, i) => i + 1)];

export function formatSuV2(n: number): string {
  if (Math.abs(n - 1 / 3) < 1e-9) return "1/3";
  if (Math.abs(n - 2 / 3) < 1e-9) return "2/3";
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

export function estimateCapacity(
  steps: StepInfo[],
  parallelism: JobParallelism,
  options: { workload: Workload; streamInputs: string[]; eventOrdering?: EventOrdering },
): Capacity {
  const w = options.workload;
  const assumptions: string[] = [];
  const eventBytes = w.eventBytes ?? DEFAULT_EVENT_BYTES;
  if (w.eventBytes === undefined) assumptions.push(`event size ${DEFAULT_EVENT_BYTES} bytes (assumed; give --event-bytes or measure a file)`);
  const rateOf = (alias: string): number | undefined =>
    typeof w.eventsPerSecond === "number" ? w.eventsPerSecond : w.eventsPerSecond?.[alias.toLowerCase()];

  // The rate into each step: the sum of the stream inputs upstream of it (filters not applied: an upper bound).
  const stepRates = new Map<string, number | undefined>();
  const rateInto = (step: StepInfo): number | undefined => {
    let total = 0;
    for (const s of step.sources) {
      if (s.kind === "reference") continue;
      const r = s.kind === "step" ? stepRates.get(s.name.toLowerCase()) : rateOf(s.name);
      if (r === undefined) return undefined;
      total += r;
    }
    return total;
  };

  const results: StepCapacity[] = steps.map((step, i) => {
    const rate = rateInto(step);
    if (step.kind === "with") stepRates.set(step.name.toLowerCase(), rate);
    const p = parallelism.steps[i]!.out;
    const eventsPerSecond: Estimate = {
      value: rate,
      unit: "events/s",
      estimate: true,
      basis: [rate === undefined ? "input rate unknown (give --events-per-second)" : "sum of the rates of the inputs upstream; WHERE filters not applied (an upper bound)"],
    };
    // A partitioned step keeps a copy of its reference data per partition; a single stream, one.
    return { step: step.name, eventsPerSecond, state: stepState(step, rate, p.partitioned ? p.count : 1) };
  });

  const totalRate = sumDefined(options.streamInputs.map(rateOf));
  const delay = options.eventOrdering?.outOfOrderMaxDelaySeconds ?? 0;
  const reorderBuffer: Estimate | undefined =
    delay > 0
      ? {
          value: totalRate === undefined ? undefined : totalRate * delay * eventBytes,
          unit: "bytes",
          estimate: true,
          basis: [`${totalRate ?? "?"} events/s × ${delay} s out-of-order window × ${eventBytes} bytes`, cite(CITE.reorderState)],
        }
      : undefined;

  const parts = [...results.map((r) => r.state), ...(reorderBuffer ? [reorderBuffer] : [])];
  const totalState: Estimate = {
    value: sumDefined(parts.map((e) => e.value)),
    unit: "bytes",
    estimate: true,
    basis: ["sum of the steps' state and the reorder buffer", "no document gives the memory of a streaming node, so this is not turned into SU % utilization: compare it with a test job's SU % utilization"],
  };
  return {
    workload: { ...w, assumptions },
    steps: results,
    reorderBuffer,
    totalState,
    streamingUnits: streamingUnits(totalRate, parallelism),
  };

  /** `partitions`: copies of per-partition state (1 for a single stream; undefined when the count is unknown). */
  function stepState(step: StepInfo, rate: number | undefined, partitions: number | undefined): Estimate {
    let bytes = 0;
    let known = true;
    const basis: string[] = [];
    const events = (ms: number | undefined, what: string, c: typeof CITE.joinState) => {
      if (rate === undefined || ms === undefined) {
        known = false;
        basis.push(`${what}: ${rate === undefined ? "rate unknown" : "duration unknown"}`);
        return;
      }
      const b = rate * (ms / 1000) * eventBytes;
      bytes += b;
      basis.push(`${what}: ${rate} events/s × ${ms / 1000} s × ${eventBytes} bytes (${cite(c)})`);
    };
    for (const op of step.operators) {
      switch (op.kind) {
        case "window": {
          const groups = op.groupBy.length === 0 ? 1 : w.keys;
          const open = op.window === "hopping" && op.sizeMs && op.hopMs ? Math.ceil(op.sizeMs / op.hopMs) : 1;
          if (groups === undefined) {
            known = false;
            basis.push(`${op.window} window by ${op.groupBy.join(", ")}: key count unknown (give --keys)`);
          } else {
            bytes += groups * open * GROUP_STATE_BYTES;
            basis.push(`${op.window} window: ${groups} group(s) × ${open} open window(s) × ${GROUP_STATE_BYTES} bytes assumed per group (${cite(CITE.windowState)})`);
          }
          if (op.window === "sliding") events(op.sizeMs, "sliding window keeps its events", CITE.windowState);
          if (op.holdsEvents.length) events(op.sizeMs, `${op.holdsEvents.join(", ")} keep every event of the window`, CITE.windowState);
          break;
        }
        case "join":
          events(op.boundMs, `JOIN ${op.with} within its DATEDIFF bound`, CITE.joinState);
          break;
        case "analytic":
          events(op.durationMs, `${op.fn} LIMIT DURATION history`, CITE.analyticState);
          break;
        case "match-recognize":
          events(op.durationMs, "MATCH_RECOGNIZE LIMIT DURATION history", CITE.analyticState);
          break;
        case "reference-join": {
          const size = w.referenceBytes?.[op.input.toLowerCase()];
          const copies = partitions;
          if (size === undefined) {
            known = false;
            basis.push(`reference data '${op.input}': size unknown (give --reference-bytes ${op.input}=N, or a local file in the job)`);
          } else if (copies === undefined) {
            known = false;
            basis.push(`reference data '${op.input}': ${size} bytes per copy, one copy per partition, partition count unknown`);
          } else {
            bytes += size * copies;
            basis.push(`reference data '${op.input}': ${size} bytes × ${copies} cop${copies === 1 ? "y" : "ies"} (${cite(CITE.referenceState)})`);
          }
          break;
        }
        default:
          break;
      }
    }
    if (basis.length === 0) basis.push("stateless: filter, projection, APPLY or UNION keep no state");
    return { value: known ? bytes : undefined, unit: "bytes", estimate: true, basis };
  }
}

function streamingUnits(totalRate: number | undefined, parallelism: JobParallelism): Estimate {
  if (totalRate === undefined) {
    return { unit: "SU V2", estimate: true, basis: ["input rate unknown (give --events-per-second or --measure)", `the query can use at most ${parallelism.maxStreamingUnits ?? "?"} SU V2: ${parallelism.maxStreamingUnitsBasis}`] };
  }
  const need = totalRate / EVENTS_PER_SU_V2;
  const basis = [`${totalRate} events/s ÷ ${EVENTS_PER_SU_V2} events/s per SU V2 (${cite(CITE.throughputTable)}; a passthrough query: stateful steps need more)`];
  let size = SU_V2_SIZES.find((s) => s >= need - 1e-9) ?? SU_V2_SIZES[SU_V2_SIZES.length - 1]!;
  // Spread partitions evenly: prefer a node count that divides the partition count.
  const counts = parallelism.steps.flatMap((s) => (s.out.partitioned && s.out.count ? [s.out.count] : []));
  const partitions = counts.length ? Math.max(...counts) : undefined;
  if (partitions && size >= 1 && partitions % size !== 0) {
    const divisor = SU_V2_SIZES.find((s) => s >= size && Number.isInteger(s) && partitions % s === 0);
    if (divisor !== undefined) {
      basis.push(`${divisor} divides the ${partitions} partitions evenly (${cite(CITE.divisor)})`);
      size = divisor;
    }
  }
  const max = parallelism.maxStreamingUnits;
  if (max !== undefined && size > max) basis.push(`more than the ${max} SU V2 the query can use: partition the steps that merge (${cite(CITE.maxUnits)})`);
  return { value: size, unit: "SU V2", estimate: true, basis };
}

function sumDefined(values: (number | undefined)[]): number | undefined {
  let total = 0;
  for (const v of values) {
    if (v === undefined) return undefined;
    total += v;
  }
  return total;
}
