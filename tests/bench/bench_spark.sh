#!/usr/bin/env bash
# The exported Spark SQL on a local Spark next to the workbench's engine on the same large case: builds the replayed
# case (bench_detection --make-case, 10,000,000 events unless told otherwise), times detection there (bench_detection
# --case), exports its events (raw names) and the rules, and times a local Spark session over them; prints both and
# the ratio. Needs the engines test's virtual environment (ctest -R engines makes it) and Java.
# usage: bench_spark.sh BUILD_DIR [EVENTS]
set -euo pipefail
build=$(cd "$1" && pwd) events=${2:-10000000}
work=${DSCOPE_BENCH_DIR:-/tmp/dscope-bench-spark}
python="$build/tests/engines/pyenv-engines/bin/python"
[ -x "$python" ] || { echo "no pyspark environment: run ctest -R engines in $build first"; exit 1; }
mkdir -p "$work"
case_file="$work/replayed-$events.dscase"
[ -f "$case_file" ] || "$build/tests/bench/bench_detection" --make-case "$case_file" --events "$events"
seconds() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$1" "$2"; }
# The engine's figure is its run of every default rule together (bench_detection also times each rule alone).
engine_out=$("$build/tests/bench/bench_detection" --case "$case_file")
echo "$engine_out"
engine=$(echo "$engine_out" | sed -n 's/.*all default rules ([^)]*) *\([0-9.]*\) s.*/\1/p' | head -1)
t0=$(date +%s.%N)
"$build/app/doppelscope" export-events --case "$case_file" --format jsonl --fields raw --out "$work/events.jsonl"
t1=$(date +%s.%N)
rm -rf "$work/sql"
"$build/app/doppelscope" export-rules --format sparksql --out "$work/sql" # every described rule
spark_out=$("$python" "$(dirname "$0")/spark_time.py" "$work/events.jsonl" "$work/sql" 2> "$work/spark.log")
echo "$spark_out"
spark_total=$(echo "$spark_out" | sed -n 's/.*total \([0-9.]*\) s.*/\1/p')
spark_rules=$(echo "$spark_out" | sed -n 's/.*rules \([0-9.]*\) s.*/\1/p')
export_s=$(seconds "$t0" "$t1")
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.1f}')" "$1" "$2"; }
echo "events: $events; engine (every default rule, one run): ${engine} s; export-events: ${export_s} s;" \
     "Spark (session, read, every rule): ${spark_total} s, of which the rules ${spark_rules} s;" \
     "Spark / engine: $(ratio "$spark_total" "$engine")x, the rules alone $(ratio "$spark_rules" "$engine")x"
