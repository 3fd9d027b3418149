"""Device telemetry, Event Hubs -> bronze -> silver Delta tables (Spark Structured Streaming).

Deployed by the iot-spark stack (stacks/iot-spark-stack.ts) as a Databricks job: every location
and name arrives as a job parameter, and access comes from Unity Catalog (the job runs as its
service principal; Event Hubs through a service credential): no secret here or in the parameters.
"""
import argparse

from pyspark.sql import SparkSession, functions as F, types as T

TELEMETRY = T.StructType(
    [
        T.StructField("deviceId", T.StringType()),
        T.StructField("temperature", T.DoubleType()),
        T.StructField("humidity", T.DoubleType()),
        T.StructField("eventTime", T.TimestampType()),
    ]
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    for name in [
        "telemetry_bootstrap_servers",
        "telemetry_topic",
        "telemetry_consumer_group",
        "telemetry_service_credential",
        "bronze_path",
        "silver_path",
        "checkpoint_location",
    ]:
        parser.add_argument(f"--{name}", required=True)
    parser.add_argument("--trigger", choices=["continuous", "availableNow"], required=True)
    return parser.parse_args()


def trigger(kind: str) -> dict:
    return {"availableNow": True} if kind == "availableNow" else {"processingTime": "30 seconds"}


def main() -> None:
    args = arguments()
    spark = SparkSession.builder.getOrCreate()
    raw = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", args.telemetry_bootstrap_servers)
        .option("subscribe", args.telemetry_topic)
        .option("kafka.group.id", args.telemetry_consumer_group)
        .option("databricks.serviceCredential", args.telemetry_service_credential)
        .option("startingOffsets", "earliest")
        .load()
    )
    bronze = raw.select(
        F.col("value").cast("string").alias("body"),
        F.col("timestamp").alias("enqueuedTime"),
        F.col("partition"),
        F.col("offset"),
    )
    (
        bronze.writeStream.format("delta")
        .option("checkpointLocation", args.checkpoint_location + "bronze/")
        .trigger(**trigger(args.trigger))
        .start(args.bronze_path)
    )
    silver = (
        spark.readStream.format("delta")
        .load(args.bronze_path)
        .select(F.from_json("body", TELEMETRY).alias("t"), "enqueuedTime")
        .select("t.*", "enqueuedTime")
        .where(F.col("deviceId").isNotNull())
        .withWatermark("eventTime", "10 minutes")
        .dropDuplicates(["deviceId", "eventTime"])
    )
    (
        silver.writeStream.format("delta")
        .option("checkpointLocation", args.checkpoint_location + "silver/")
        .trigger(**trigger(args.trigger))
        .start(args.silver_path)
    )
    spark.streams.awaitAnyTermination()


if __name__ == "__main__":
    main()
