// The documents each rule of `streamkit explain` rests on. Every finding names one, so a reader can
// check the rule against its source (MicrosoftDocs/azure-docs, articles/stream-analytics/).
export const ARTICLES = {
  parallelization: "stream-analytics-parallelization.md",
  repartition: "repartition.md",
  streamingUnits: "stream-analytics-streaming-unit-consumption.md",
  scaleJobs: "stream-analytics-scale-jobs.md",
} as const;

export interface Citation {
  article: (typeof ARTICLES)[keyof typeof ARTICLES];
  section: string;
}

export const CITE = {
  compat12Key: { article: ARTICLES.parallelization, section: "Partitions in inputs and outputs (compatibility level 1.2: the partition key is an input property)" },
  compat11PartitionBy: { article: ARTICLES.parallelization, section: "Embarrassingly parallel jobs, requirement 2 (compatibility 1.0/1.1: PARTITION BY PartitionId)" },
  sameKeyEverywhere: { article: ARTICLES.parallelization, section: "Embarrassingly parallel jobs, requirement 2 (all steps partitioned by the same key)" },
  queryKeys: { article: ARTICLES.parallelization, section: "Query (partitioning is decided by the keys of joins and GROUP BY; projection, filter and reference joins have none)" },
  groupingKey: { article: ARTICLES.parallelization, section: "Examples of scaling (GROUP BY without the partition key; a non-partitioned step aggregates across partitions)" },
  joinStreams: { article: ARTICLES.repartition, section: "Repartition input within a single Stream Analytics job (joined streams need the same key and partition count)" },
  repartition: { article: ARTICLES.repartition, section: "Repartition input within a single Stream Analytics job (PARTITION BY key [INTO n])" },
  outputs: { article: ARTICLES.parallelization, section: "Outputs (which outputs take partitioned writes)" },
  powerBi: { article: ARTICLES.parallelization, section: "Query using non-partitioned output (Power BI)" },
  sqlInherit: { article: ARTICLES.parallelization, section: "Achieving higher throughputs at scale, Azure SQL (Inherit Partitioning, off by default)" },
  eventHubOutput: { article: ARTICLES.parallelization, section: "Simple query (Event Hubs output partition key PartitionId, equal partition counts)" },
  partitionCounts: { article: ARTICLES.parallelization, section: "Embarrassingly parallel jobs, requirement 4 and Mismatched partition count" },
  maxUnits: { article: ARTICLES.parallelization, section: "Calculate the max streaming units for a job" },
  suV2Node: { article: ARTICLES.streamingUnits, section: "Understand streaming unit and streaming node (6 SU V1 = one node = 1 SU V2)" },
  suApiValues: { article: ARTICLES.streamingUnits, section: "Understand streaming unit conversions (API 3 = 1/3, 7 = 2/3, 10 = 1 SU V2)" },
  throughputTable: { article: ARTICLES.parallelization, section: "Achieving higher throughputs at scale, Event Hub table (passthrough: 5K events/s on 6 SU V1)" },
  divisor: { article: ARTICLES.scaleJobs, section: "Choosing the right number of SUs (nodes a divisor of the input partitions)" },
  windowState: { article: ARTICLES.streamingUnits, section: "Windowed aggregates (memory ∝ groups per window)" },
  joinState: { article: ARTICLES.streamingUnits, section: "Temporal joins (memory ∝ DATEDIFF range × event rate)" },
  analyticState: { article: ARTICLES.streamingUnits, section: "Temporal analytic functions (memory ∝ event rate × duration)" },
  reorderState: { article: ARTICLES.streamingUnits, section: "Out of order buffer (memory ∝ event rate × out-of-order window)" },
  referenceState: { article: ARTICLES.streamingUnits, section: "Reference data (a copy per join, and per partition with PARTITION BY)" },
} satisfies Record<string, Citation>;

export function cite(c: Citation): string {
  return `${c.article} § ${c.section}`;
}
