#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The exported Sigma rules checked with pySigma: every rule parses; every event rule converts with the Splunk
backend and the Elasticsearch ES|QL backend; every correlation rule converts with each of those that supports its
type (pySigma's Splunk and ES|QL backends have no temporal_ordered and no field aliases; the SQLite backend has both),
and with SQLite in any case; and the event rules of single-event rules, converted for SQLite and run over the exported
raw events, select the events whose alerts the engine raises (more only where the file says why: a lookup of the
process's own Sysmon 1 that Sigma cannot make).

usage: sigma_rules.py DOPPELSCOPE CASE ALERTS_JSONL WORKDIR RULES
"""
import json
import os
import re
import sqlite3
import sys

from enginecommon import alert_keys, run


def main():
    doppelscope, case, alerts_path, work, rules = sys.argv[1:6]
    try:
        from sigma.collection import SigmaCollection
        from sigma.correlations import SigmaCorrelationRule
        from sigma.backends.splunk import SplunkBackend
        from sigma.backends.elasticsearch import ESQLBackend
        from sigma.backends.sqlite import sqliteBackend
    except ImportError as e:
        print(f"SKIP: pySigma or a backend is not importable: {e}")
        return 77
    os.makedirs(work, exist_ok=True)
    out_dir = os.path.join(work, "sigma")
    events = os.path.join(work, "events-raw.jsonl")
    run([doppelscope, "export-rules", "--rules", rules, "--format", "sigma", "--out", out_dir])
    run([doppelscope, "export-events", "--case", case, "--format", "jsonl", "--fields", "raw", "--out", events])

    # The exported events as the SQLite backend's `logs` table, one table per event id: SQLite's column names ignore
    # case, and Sysmon 8 and 10 spell their GUID fields differently only in case.
    rows = [json.loads(line) for line in open(events, encoding="utf-8")]
    tables = {}

    def logs_for(event_id):
        if event_id not in tables:
            mine = [r for r in rows if r.get("EventID") == event_id]
            if not mine:
                tables[event_id] = None  # no such events: nothing to select
                return None
            columns = sorted({k for r in mine for k in r} | {"EventID", "Computer"})
            db = sqlite3.connect(":memory:")
            db.create_function("REGEXP", 2,
                               lambda pattern, value: value is not None and re.search(pattern, str(value)) is not None)
            # Sigma compares text without case: so do the table's columns.
            db.execute("CREATE TABLE logs (" + ", ".join(f'"{c}" COLLATE NOCASE' for c in columns) + ")")
            db.executemany("INSERT INTO logs VALUES (" + ",".join("?" * len(columns)) + ")",
                           [[r.get(c) for c in columns] for r in mine])
            tables[event_id] = db
        return tables[event_id]

    engine = alert_keys(alerts_path)

    failed = False
    for name in sorted(os.listdir(out_dir)):
        rule = name.split(".")[0]
        text = open(os.path.join(out_dir, name), encoding="utf-8").read()
        if "# Not expressible in Sigma:" in text:
            print(f"{rule}: not expressible in Sigma, as the file says: "
                  + text.split("# Not expressible in Sigma:")[1].splitlines()[0].strip())
            continue
        collection = SigmaCollection.from_yaml(text)
        errors = [str(e) for r in collection.rules for e in (getattr(r, "errors", None) or [])]
        if errors:
            print(f"{rule}: parse errors {errors}")
            failed = True
            continue
        correlated = any(isinstance(r, SigmaCorrelationRule) for r in collection.rules)
        for backend_name, backend in (("splunk", SplunkBackend), ("es|ql", ESQLBackend), ("sqlite", sqliteBackend)):
            try:
                backend().convert(collection)
                print(f"{rule}: converts with {backend_name}")
            except NotImplementedError as e:
                if correlated and backend_name != "sqlite":
                    print(f"{rule}: {backend_name} cannot convert its correlation ({e})")
                else:
                    print(f"{rule}: {backend_name} FAILED: {e}")
                    failed = True
            except Exception as e:
                print(f"{rule}: {backend_name} FAILED: {type(e).__name__}: {e}")
                failed = True
        if correlated:
            continue
        # Single-event rule: what SQLite selects, keyed as the alerts are.
        keys = [line[len("# Alert key: "):].split(", ") for line in text.splitlines() if line.startswith("# Alert key: ")]
        ids = [int(m) for m in re.findall(r"^        EventID: (\d+)$", text, re.M)]
        got = set()
        for doc_key, event_id, query in zip(keys, ids, sqliteBackend().convert(collection)):
            db = logs_for(event_id)
            if db is None:
                continue
            names = [d[0] for d in db.execute(query).description]
            for r in db.execute(query).fetchall():
                value = dict(zip(names, r))
                guid = lambda f: "" if f == "-" or value.get(f) is None else value[f].strip("{}").lower()
                got.add(((value.get(doc_key[0]) or "").lower(), guid(doc_key[1]), guid(doc_key[2])))
        want = engine.get(rule, set())
        # A file that cannot name the source or the target (it says so) is compared without it.
        if keys and all(k[1] == "-" for k in keys):
            want = {(h, "", t) for h, _, t in want}
        if keys and all(k[2] == "-" for k in keys):
            want = {(h, s, "") for h, s, _ in want}
        # A file that says where it differs from the workbench (a lookup Sigma cannot make) may alert more, never less.
        differs = "Differs from the workbench:" in text
        if got == want or (differs and want <= got):
            extra = f"; {len(got - want)} more, as the file says it would" if got != want else ""
            print(f"{rule}: SQLite selects the events of the engine's {len(want)} alert(s){extra}")
        else:
            failed = True
            print(f"{rule}: SQLite {len(got)} keys, engine {len(want)}")
            for k in sorted(got - want):
                print(f"    only in Sigma:  {k}")
            for k in sorted(want - got):
                print(f"    only in engine: {k}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
