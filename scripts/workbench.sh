#!/usr/bin/env bash
# Installs what is needed, builds the workbench (only the doppelscope binary: no tests, no benchmarks), and opens
# it on the built-in (simulated) demo case. Arguments go to doppelscope.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --target doppelscope
exec build/release/app/doppelscope --demo "$@"
