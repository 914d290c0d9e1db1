#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test; then the sanitizer pass (scripts/sanitize.sh: the model and
# detection tests under ASan and UBSan; DSCOPE_SANITIZE=0 skips it). Corpus tests read ../shared/datasets when
# present (override with DSCOPE_DATASETS=/path) and say SKIP otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
scripts/install-deps.sh
scripts/check-layers.sh
preset="${DSCOPE_PRESET:-ci}"
extra=()
[ -n "${DSCOPE_DATASETS:-}" ] && extra+=("-DDSCOPE_DATASETS=${DSCOPE_DATASETS}")
cmake --preset "$preset" "${extra[@]}"
cmake --build --preset "$preset"
ctest --preset "$preset" --output-on-failure "$@"
if [ "${DSCOPE_SANITIZE:-1}" != 0 ]; then
  scripts/sanitize.sh
fi
