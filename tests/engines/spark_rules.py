#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The exported Spark SQL of every described rule, run on a local Spark session over the case's exported events,
finds the same (rule, host, source GUID, target GUID) as the workbench's engine on the same case.

usage: spark_rules.py DOPPELSCOPE CASE ALERTS_JSONL WORKDIR RULES FIELDSET...
RULES: the rule ids to export and compare, comma-separated (the engine's alerts must come from the same rules).
Exit 0 when every rule agrees, 1 when one does not, 77 (skip) when Spark cannot start here (the reason printed).
"""
import json
import os
import sys

from enginecommon import run


def key(rule, host, source, target):
    return (rule, (host or "").lower(), (source or "").lower(), (target or "").lower())


def with_columns(df, names):
    """The view with every column the query reads: one the events lack (no Security events at all) as NULL text."""
    from pyspark.sql import functions as F
    from pyspark.sql.utils import AnalysisException
    added = False
    for name in names:
        try:
            df.select(F.col(".".join(f"`{p}`" for p in name.split(".")))).schema
            continue
        except AnalysisException:
            pass
        parts = name.split(".")
        if len(parts) == 1:
            df = df.withColumn(name, F.lit(None).cast("string"))
        elif parts[0] in df.columns:
            df = df.withColumn(parts[0], F.col(parts[0]).withField(".".join(parts[1:]), F.lit(None).cast("string")))
        else:
            nested = F.lit(None).cast("string")
            for p in reversed(parts[1:]):
                nested = F.struct(nested.alias(p))
            df = df.withColumn(parts[0], nested)
        added = True
    # Materialized once: otherwise every reference to a struct column repeats the chain of withField calls that added
    # its missing fields, and a query reading many of them (R6's four event kinds) ran the optimizer out of memory.
    return df.localCheckpoint() if added else df


def main():
    doppelscope, case, alerts_path, work, rules = sys.argv[1:6]
    field_sets = sys.argv[6:] or ["raw"]
    os.makedirs(work, exist_ok=True)
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        print(f"SKIP: pyspark is not importable: {e}")
        return 77
    try:
        spark = (SparkSession.builder.master("local[2]").appName("doppelscope-rule-export")
                 .config("spark.sql.session.timeZone", "UTC")
                 # Sysmon 8 spells SourceProcessGuid, Sysmon 10 SourceProcessGUID: two columns only when case counts.
                 .config("spark.sql.caseSensitive", "true")
                 .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                 # The default 1 GiB heap ran out once, late in a session of eighteen queries on a busy machine.
                 .config("spark.driver.memory", "2g")
                 .config("spark.ui.enabled", "false").getOrCreate())
    except Exception as e:  # no Java, or one Spark does not run on
        print(f"SKIP: a local Spark session does not start here: {str(e).splitlines()[0] if str(e) else type(e).__name__}")
        return 77
    spark.sparkContext.setLogLevel("ERROR")

    engine, engine_rows = {}, {}
    for line in open(alerts_path, encoding="utf-8"):
        a = json.loads(line)
        engine.setdefault(a["rule"], set()).add(key(a["rule"], a["host"], a["source_guid"], a["target_guid"]))
        engine_rows[a["rule"]] = engine_rows.get(a["rule"], 0) + 1

    failed = False
    hits = []  # every row Spark returned, for the import round trip
    for fields in field_sets:
        events = os.path.join(work, f"events-{fields}.jsonl")
        rules_dir = os.path.join(work, f"sparksql-{fields}")
        run([doppelscope, "export-events", "--case", case, "--format", "jsonl", "--fields", fields, "--out", events])
        exported = run([doppelscope, "export-rules", "--rules", rules, "--format", "sparksql", "--fields", fields,
                        "--out", rules_dir])
        table = spark.read.json(events)
        files = sorted(f for f in os.listdir(rules_dir) if f.endswith(".sql"))
        read = set()
        for name in files:
            for line in open(os.path.join(rules_dir, name), encoding="utf-8"):
                if line.startswith("-- Columns read: "):
                    read.update(c.strip() for c in line[len("-- Columns read: "):].split(","))
        with_columns(table, sorted(read)).createOrReplaceTempView("sysmon_events")
        print(f"[{fields}] {len(files)} rule(s) exported; {exported.stderr.strip()}")
        for name in files:
            rule = name[:-4]
            query = open(os.path.join(rules_dir, name), encoding="utf-8").read()
            rows = spark.sql(query).collect()
            if fields == field_sets[0]:
                hits.extend(rows)
            got = {key(r["rule"], r["host"], r["source_guid"], r["target_guid"]) for r in rows}
            want = engine.get(rule, set())
            columns = spark.sql(query).columns
            if columns != ["rule", "host", "source_guid", "target_guid", "first_utc", "last_utc", "count"]:
                print(f"[{fields}] {rule}: columns {columns}")
                failed = True
            # One row per alert, as the engine counts them: keys without a GUID (R6's 4985 names a process by PID)
            # may repeat, so the number of rows is compared as well as the set.
            if got == want and len(rows) != engine_rows.get(rule, 0):
                failed = True
                print(f"[{fields}] {rule}: the same keys, but {len(rows)} row(s) against the engine's {engine_rows.get(rule, 0)} alert(s)")
            elif got == want:
                print(f"[{fields}] {rule}: {len(rows)} alert(s), the same as the engine")
            else:
                failed = True
                print(f"[{fields}] {rule}: Spark {len(got)}, engine {len(want)}")
                for k in sorted(got - want):
                    print(f"    only in Spark:  {k}")
                for k in sorted(want - got):
                    print(f"    only in engine: {k}")
    spark.stop()
    return 1 if (failed or not hits_import_as_a_case(doppelscope, work, hits)) else 0


def hits_import_as_a_case(doppelscope, work, rows):
    """Spark's result rows, written as JSON lines the way df.write.json does (null columns left out), import as a new
    case's alerts for triage: the case lists exactly those alerts, marked with where they came from."""
    path = os.path.join(work, "spark-hits.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps({k: v for k, v in r.asDict().items() if v is not None}) + "\n")
    case = os.path.join(work, "spark-hits.dscase")
    for f in (case, case + "-wal", case + "-shm"):
        if os.path.exists(f):
            os.remove(f)
    imported = run([doppelscope, "import", "--case", case, path])
    alerts_path = os.path.join(work, "spark-hits-alerts.jsonl")
    run([doppelscope, "scan", "--case", case, "--json", alerts_path])
    alerts = [json.loads(line) for line in open(alerts_path, encoding="utf-8")]
    want = sorted(key(r["rule"], r["host"], r["source_guid"], r["target_guid"]) for r in rows)
    got = sorted(key(a["rule"], a["host"], a["source_guid"], a["target_guid"]) for a in alerts)
    unmarked = [a for a in alerts if not a.get("origin")]
    # Rows of one key (R6's 4985 names a process by PID, which the row does not carry) are one alert of the case.
    if sorted(set(got)) == sorted(set(want)) and len(got) == len(set(want)) and not unmarked:
        print(f"Spark result rows imported as a case: {len(got)} alert(s), each marked with its file and line "
              f"({imported.stdout.strip().splitlines()[0] if imported.stdout.strip() else 'imported'})")
        return True
    print(f"Spark result rows imported as a case: {len(got)} alert(s) for {len(set(want))} distinct row key(s); "
          f"{len(unmarked)} without an origin")
    for k in sorted(set(want) - set(got)):
        print(f"    row not in the case: {k}")
    for k in sorted(set(got) - set(want)):
        print(f"    alert not from a row: {k}")
    return False


if __name__ == "__main__":
    sys.exit(main())
