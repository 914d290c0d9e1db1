#!/usr/bin/env bash
# The exported rules proven on real engines, over the exported events of the simulated day and of the corpus: a local
# Spark session (pyspark) runs the Spark SQL of every described rule and must find the engine's alerts (raw Sysmon
# and ECS names); pySigma parses and converts the Sigma rules, and its SQLite backend's queries select the events of
# the engine's alerts; the eql package runs the EQL over the ECS events and finds the engine's alerts (R1's pairs);
# and the ECS events wrapped as an Elasticsearch export import again and raise the same alerts. Installs what it needs into a virtual environment of the build folder; says SKIP
# with the reason (exit 77) when Java, the corpus or PyPI is missing.
# usage: check-engines.sh DOPPELSCOPE SOURCE_DIR DATASETS WORK_DIR
set -uo pipefail
doppelscope=$1 source_dir=$2 datasets=$3 work=$4
mkdir -p "$work"
if ! java -version > /dev/null 2>&1; then
  echo "SKIP: no Java here (Spark needs Java 17)"; exit 77
fi
venv="$work/pyenv-engines"
if [ ! -f "$venv/.ready" ]; then
  rm -rf "$venv"
  if ! python3 -m venv "$venv" > "$work/pip.log" 2>&1 \
     || ! "$venv/bin/pip" install -q "pyspark==4.3.0" "pySigma==1.5.1" "pySigma-backend-splunk==2.1.0" \
            "pySigma-backend-elasticsearch==2.1.1" "pySigma-backend-sqlite==2.0.0" "eql==1.0.1" >> "$work/pip.log" 2>&1; then
    echo "SKIP: cannot install pyspark, pySigma and eql into $venv (python3 venv or PyPI not reachable):"; tail -3 "$work/pip.log"; exit 77
  fi
  touch "$venv/.ready"
fi
# The rules the rule file describes declaratively, and the default ones it does not (yet).
described=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(','.join(r['id'] for r in d['rules'] if 'logic' in r))" \
            "$source_dir/resources/rules/rules.json")
missing=$(python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print(','.join(r['id'] for r in d['rules'] if 'logic' not in r and r.get('default', True)))" \
          "$source_dir/resources/rules/rules.json")
echo "described rules: $described${missing:+; without a description (not exported): $missing}"

status=0
check() { # name, files to import...
  local name=$1; shift
  rm -f "$work/$name.dscase"*
  "$doppelscope" scan "$@" --case "$work/$name.dscase" --rules "$described" --json "$work/$name-alerts.jsonl" > "$work/$name-scan.log" 2>&1 \
    || { echo "scan of $name failed:"; tail -5 "$work/$name-scan.log"; status=1; return; }
  echo "== $name: $(wc -l < "$work/$name-alerts.jsonl") engine alert(s)"
  "$venv/bin/python" "$source_dir/tests/engines/spark_rules.py" "$doppelscope" "$work/$name.dscase" "$work/$name-alerts.jsonl" \
    "$work/$name" "$described" raw ecs 2> "$work/$name-spark.log"
  local rc=$?
  [ $rc -eq 77 ] && { echo "SKIP: Spark does not start here"; tail -3 "$work/$name-spark.log"; exit 77; }
  [ $rc -ne 0 ] && { status=1; grep -v "^\s*at \|WARN" "$work/$name-spark.log" | cut -c1-300 | tail -20; }
  "$venv/bin/python" "$source_dir/tests/engines/sigma_rules.py" "$doppelscope" "$work/$name.dscase" "$work/$name-alerts.jsonl" \
    "$work/$name" "$described" || status=1
  python3 "$source_dir/tests/engines/es_roundtrip.py" "$doppelscope" "$work/$name.dscase" "$work/$name-alerts.jsonl" \
    "$work/$name" "$described" || status=1
  "$venv/bin/python" "$source_dir/tests/engines/eql_rules.py" "$doppelscope" "$work/$name.dscase" "$work/$name-alerts.jsonl" \
    "$work/$name" "$described" || status=1
}
mkdir -p "$work/day" "$work/corpus" "$work/txf"
rm -f "$work/day-generated."*
"$doppelscope" demo --case "$work/day-generated.dscase" > "$work/demo.log" 2>&1 || { echo "demo failed:"; cat "$work/demo.log"; exit 1; }
check day "$work/day-generated.events.jsonl"
# Crafted Security and Sysmon events for R6's branches: a child named by PID (Sysmon 1 preferred to 4688), outside
# the window, a reused PID under another image, installers, and IIS excused unless its child comes from its transaction.
check txf "$source_dir/tests/data/rule-export/txf-cases.jsonl"
if [ -d "$datasets" ]; then
  check corpus "$datasets"
else
  echo "corpus part SKIPPED: no corpus at $datasets"
fi
exit $status
