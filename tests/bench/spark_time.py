#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Times the exported Spark SQL of every rule over exported events on a local Spark session (bench_spark.sh).
usage: spark_time.py EVENTS_JSONL SQL_DIR"""
import os
import sys
import time

from pyspark.sql import SparkSession

events, sql_dir = sys.argv[1:3]
start = time.time()
spark = (SparkSession.builder.master("local[*]").appName("doppelscope-bench")
         .config("spark.sql.session.timeZone", "UTC").config("spark.sql.caseSensitive", "true")
         .config("spark.driver.memory", "8g").config("spark.driver.host", "127.0.0.1")
         .config("spark.driver.bindAddress", "127.0.0.1").config("spark.ui.enabled", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
session = time.time()
table = spark.read.json(events).cache()
rows = table.count()
table.createOrReplaceTempView("sysmon_events")
loaded = time.time()
alerts = 0
for name in sorted(os.listdir(sql_dir)):
    t = time.time()
    n = len(spark.sql(open(os.path.join(sql_dir, name), encoding="utf-8").read()).collect())
    alerts += n
    print(f"spark {name[:-4]}: {n} alert(s) in {time.time() - t:.1f} s", flush=True)
done = time.time()
print(f"spark: session {session - start:.1f} s, read {rows} events {loaded - session:.1f} s, "
      f"rules {done - loaded:.1f} s, total {done - start:.1f} s, {alerts} alert(s)")
spark.stop()
