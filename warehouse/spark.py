"""Running the measure layer on Apache Spark: a local session for tests, and the views as Spark SQL."""

from __future__ import annotations


def local_session(app_name: str = "customer-finance-insights"):
    """A small local Spark session: one core, few shuffle partitions, no UI, a fast JVM start."""
    from pyspark.sql import SparkSession  # imported here: pyspark is an optional dependency

    session = (
        SparkSession.builder.master("local[1]").appName(app_name)
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-XX:+UseSerialGC -XX:TieredStopAtLevel=1")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    return session
