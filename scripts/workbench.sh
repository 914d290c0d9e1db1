#!/usr/bin/env bash
# Installs what is needed, builds, and opens the workbench on the built-in (simulated) demo case.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
cmake --preset release
cmake --build --preset release
exec build/release/app/doppelscope --demo "$@"
