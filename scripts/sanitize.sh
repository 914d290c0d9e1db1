#!/usr/bin/env bash
# The sanitizer pass: the tests of model/ and detection/ and the fuzz replays, built with AddressSanitizer and
# UndefinedBehaviorSanitizer (the dev-asan preset). Any finding fails its test. Run by scripts/test.sh after the
# normal tests; DSCOPE_SANITIZE=0 skips it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
extra=()
[ -n "${DSCOPE_DATASETS:-}" ] && extra+=("-DDSCOPE_DATASETS=${DSCOPE_DATASETS}")
start=$(date +%s)
cmake --preset dev-asan "${extra[@]}" > /dev/null
cmake --build --preset dev-asan --target sanitized_tests
ctest --preset dev-asan --output-on-failure "$@"
echo "sanitizer pass: $(( $(date +%s) - start )) s"
