// Every construct, for a cdktf app that installed streamkit (`import { … } from "streamkit/constructs"`).
// Inside this repository, import the module you need by its own path: this index loads them all.
export * from "./core/azure-provider";
export * from "./core/naming";
export * from "./core/network-exposure";
export * from "./core/policy-waiver";
export * from "./core/private-endpoint";
export * from "./core/resource-group";
export * from "./core/shapes";
export * from "./databricks/databricks";
export * from "./databricks/spark-streaming-job";
export * from "./databricks/unity-catalog";
export * from "./dataexplorer/data-explorer";
export * from "./eventhubs/event-hub";
export * from "./eventhubs/event-hubs-namespace";
export * from "./eventhubs/kafka-client";
export * from "./hdinsight/hdinsight-kafka";
export * from "./iothub/iot-hub";
export * from "./job";
export * from "./network/spark-network";
export * from "./pipeline";
export * from "./powerbi/power-bi-output";
export * from "./sql/azure-sql";
export * from "./sql/table-definition";
export * from "./storage/storage-account";
export * from "./synapse/spark-job";
export * from "./synapse/spark-pool";
export * from "./synapse/synapse";
