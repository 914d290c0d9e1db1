#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan, UBSan) and runs each for SECONDS (default 1800). Usage:
#   scripts/fuzz.sh [SECONDS] [TARGET...]     targets: evtx xml json archive normalize syslog (default: all)
# Installs clang and its runtime first (apt-get, as install-deps.sh does). The growing corpus of each target lives in
# build/fuzz/corpus/<target>; an input a target crashes on is copied to tests/data/fuzz/<target>/ (EVTX:
# tests/data/evtx-fuzz/), where the normal build's tests replay it once the bug is fixed. EVTX seeds: chunks cut out
# of the corpus's EVTX files (DSCOPE_DATASETS, default ../shared/datasets), never committed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$(dirname "$here")"
seconds="${1:-1800}"
shift || true
targets=("$@")
[ "${#targets[@]}" -gt 0 ] || targets=(evtx xml json archive normalize syslog)

need=()
for p in clang-14 libclang-rt-14-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ "${#need[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
"$here/install-deps.sh"

build="$src/build/fuzz"
cmake -S "$src" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDSCOPE_FUZZ=ON \
      -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 > "$build.configure.log"
cmake --build "$build" --target $(printf 'fuzz_%s ' "${targets[@]}")

datasets="${DSCOPE_DATASETS:-$src/../shared/datasets}"
status=0
for t in "${targets[@]}"; do
  corpus="$build/corpus/$t"
  crashes="$build/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  seeds=("$src/tests/data/fuzz/$t")
  case "$t" in
    xml) seeds+=("$src/tests/data/xml") ;;
    json) seeds+=("$src/tests/data/json") ;;
    evtx)
      seeds=("$build/seeds/evtx")
      mkdir -p "${seeds[0]}"
      if [ -d "$datasets" ]; then
        # The first 64 KiB chunk (after the 4 KiB file header) of up to 40 files: the target takes bare chunk data
        # behind a header of its own.
        find "$datasets" -iname '*.evtx' -size +100k | sort | head -40 | while read -r f; do
          dd if="$f" of="${seeds[0]}/$(basename "$f").chunk" bs=65536 count=1 skip=4096 iflag=skip_bytes \
             status=none || true
        done
      fi
      ;;
  esac
  for s in "${seeds[@]}"; do [ -d "$s" ] || mkdir -p "$s"; done
  echo "fuzz_$t: ${seconds} s"
  start=$(date +%s)
  if "$build/tests/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
       -print_final_stats=1 -artifact_prefix="$crashes/" "$corpus" "${seeds[@]}" > "$build/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t: clean after $(( $(date +%s) - start )) s, $(grep -o 'stat::number_of_executed_units: *[0-9]*' "$build/fuzz_$t.log" | grep -o '[0-9]*$') runs"
  else
    status=1
    keep="$src/tests/data/fuzz/$t"
    [ "$t" = evtx ] && keep="$src/tests/data/evtx-fuzz"
    cp "$crashes"/* "$keep/" 2>/dev/null || true
    echo "fuzz_$t: FAILED after $(( $(date +%s) - start )) s; the input is kept in $keep (log: $build/fuzz_$t.log)"
  fi
done
exit $status
