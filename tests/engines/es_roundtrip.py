#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Hits back in: the case's events exported with ECS names, wrapped as an Elasticsearch export wraps documents
({"_index", "_id", "_source"}, with the winlog fields Winlogbeat writes), import as a case again, and every rule
raises there the same alerts as on the original case.

usage: es_roundtrip.py DOPPELSCOPE CASE ALERTS_JSONL WORKDIR RULES
"""
import json
import os
import sys

from enginecommon import run


def keys(path):
    return {(a["rule"], a["host"].lower(), a["source_guid"], a["target_guid"]) for a in map(json.loads, open(path, encoding="utf-8"))}


def main():
    doppelscope, case, alerts_path, work, rules = sys.argv[1:6]
    os.makedirs(work, exist_ok=True)
    ecs = os.path.join(work, "roundtrip-ecs.jsonl")
    export = os.path.join(work, "elasticsearch-export.jsonl")
    again = os.path.join(work, "roundtrip.dscase")
    alerts_again = os.path.join(work, "roundtrip-alerts.jsonl")
    run([doppelscope, "export-events", "--case", case, "--format", "jsonl", "--fields", "ecs", "--out", ecs])
    with open(export, "w", encoding="utf-8") as out:
        for i, line in enumerate(open(ecs, encoding="utf-8")):
            doc = json.loads(line)
            winlog = doc.setdefault("winlog", {})
            winlog["event_id"] = doc["event"]["code"]
            winlog["computer_name"] = doc["host"]["name"]
            out.write(json.dumps({"_index": "winlogbeat-8.15.0", "_id": str(i), "_score": 1.0, "_source": doc}) + "\n")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(again + suffix):
            os.remove(again + suffix)
    run([doppelscope, "scan", export, "--case", again, "--rules", rules, "--json", alerts_again])
    want, got = keys(alerts_path), keys(alerts_again)
    if want == got:
        print(f"Elasticsearch export round trip: the same {len(want)} alert(s)")
        return 0
    print(f"Elasticsearch export round trip: {len(got)} alert(s), the original case {len(want)}")
    for k in sorted(got - want):
        print(f"    only after the round trip: {k}")
    for k in sorted(want - got):
        print(f"    only in the original:      {k}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
