# SPDX-License-Identifier: MIT
"""What the engine checks share: running doppelscope, and reading its alerts as comparable keys."""
import json
import subprocess
import sys


def run(cmd):
    """Runs a command; on failure prints it with its output and ends the check (exit 1)."""
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(" ".join(cmd) + "\n" + done.stdout + done.stderr)
        sys.exit(1)
    return done


def alert_keys(path):
    """scan --json alerts by rule: {rule: {(host lower case, source GUID, target GUID)}}."""
    by_rule = {}
    for line in open(path, encoding="utf-8"):
        a = json.loads(line)
        by_rule.setdefault(a["rule"], set()).add((a["host"].lower(), a["source_guid"], a["target_guid"]))
    return by_rule
