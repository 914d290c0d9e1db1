#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The exported EQL run by the `eql` Python package over the case's exported ECS events finds the engine's alerts for
every rule EQL can express (R1's handle-then-thread pairs among them).

The export is written for Elastic (case-insensitive `~` functions, `:` and `regex~`); the package speaks the
original EQL dialect, where comparisons ignore case already: the few spellings are mapped before parsing.
usage: eql_rules.py DOPPELSCOPE CASE ALERTS_JSONL WORKDIR RULES
"""
import datetime
import json
import os
import re
import sys

from enginecommon import alert_keys, run


def to_package_dialect(query):
    query = re.sub(r"/\*.*?\*/", "", query)
    query = query.replace("~(", "(")
    query = query.replace(" : (", " in (")
    query = re.sub(r' : (")', r" == \1", query)
    query = re.sub(r'([\w.@]+) regex~ "((?:[^"\\]|\\.)*)"', r'match(\1, "^(\2)$")', query)
    return query


def flat(d, prefix=""):
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flat(v, prefix + k + "."))
        else:
            out[prefix + k] = v
    return out


def main():
    doppelscope, case, alerts_path, work, rules = sys.argv[1:6]
    try:
        import eql
        from eql.engine import PythonEngine
    except ImportError as e:
        print(f"SKIP: the eql package is not importable: {e}")
        return 77
    os.makedirs(work, exist_ok=True)
    out_dir = os.path.join(work, "eql")
    events_path = os.path.join(work, "events-ecs.jsonl")
    run([doppelscope, "export-rules", "--rules", rules, "--format", "eql", "--fields", "ecs", "--out", out_dir])
    run([doppelscope, "export-events", "--case", case, "--format", "jsonl", "--fields", "ecs", "--out", events_path])
    events = []
    for line in open(events_path, encoding="utf-8"):
        d = json.loads(line)
        stamp = datetime.datetime.fromisoformat(d["@timestamp"].replace("Z", "+00:00"))
        d["timestamp"] = int(stamp.timestamp() * 1000)
        events.append(d)
    engine_alerts = alert_keys(alerts_path)

    failed = False
    checked = 0
    for name in sorted(os.listdir(out_dir)):
        rule = name.split(".")[0]
        text = open(os.path.join(out_dir, name), encoding="utf-8").read()
        if "// Not expressible in EQL:" in text:
            print(f"{rule}: not expressible in EQL, as the file says: " + text.split("// Not expressible in EQL:")[1].strip())
            continue
        query = "\n".join(l for l in text.splitlines() if not l.startswith("//"))
        try:
            parsed = eql.parse_query(to_package_dialect(query))
        except Exception as e:
            print(f"{rule}: does not parse: {str(e).splitlines()[0]}")
            failed = True
            continue
        results = []
        engine = PythonEngine({"flatten": True, "time_unit": 1000})
        engine.add_output_hook(lambda output: results.append(output))
        engine.add_query(parsed)
        engine.stream_events([eql.Event.from_data(e) for e in events])
        key_line = next(l for l in text.splitlines() if l.startswith("// Alert key: "))
        host_field, source_field, target_field = key_line[len("// Alert key: "):].split(", ")
        got = set()
        for output in results:
            last = output[-1] if isinstance(output, list) else output
            data = flat(last.data)
            guid = lambda f: "" if f == "-" else (data.get(f) or "").strip("{}").lower()
            got.add(((data.get(host_field) or "").lower(), guid(source_field), guid(target_field)))
        want = engine_alerts.get(rule, set())
        # A file that cannot name the source or the target (it says so) is compared without it.
        if source_field == "-":
            want = {(h, "", t) for h, _, t in want}
        if target_field == "-":
            want = {(h, s, "") for h, s, _ in want}
        checked += 1
        # A file that says where it differs from the workbench (a lookup EQL cannot make) may alert more, never less.
        differs = "Differs from the workbench:" in text
        if got == want or (differs and want <= got):
            extra = f"; {len(got - want)} more, as the file says it would" if got != want else ""
            print(f"{rule}: eql finds the engine's {len(want)} alert(s){extra}")
        else:
            failed = True
            print(f"{rule}: eql {len(got)}, engine {len(want)}")
            for k in sorted(got - want):
                print(f"    only in EQL:    {k}")
            for k in sorted(want - got):
                print(f"    only in engine: {k}")
    if checked == 0:
        print("no rule was checked")
        failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
