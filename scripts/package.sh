#!/usr/bin/env bash
# Builds the Debian package: build/<preset>/doppelscope_<version>_amd64.deb (preset "release" unless DSCOPE_PRESET
# names another, e.g. ci to reuse the test build). Installs the build dependencies first, as the other commands do.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
preset="${DSCOPE_PRESET:-release}"
cmake --preset "$preset" > /dev/null
cmake --build --preset "$preset" --target doppelscope doppelscope_icons
build="build/$preset"
(cd "$build" && cpack -G DEB -B "$PWD" > cpack.log) || { cat "$build/cpack.log" >&2; exit 1; }
ls "$build"/doppelscope_*_amd64.deb
