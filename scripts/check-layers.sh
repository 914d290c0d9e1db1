#!/usr/bin/env bash
# The layering, checked. Fails when
#   - model/ or detection/ include widget or chart headers (they must stay GUI-free);
#   - a model/ sub-layer includes one above it (the table below), or model/ gains a folder the table does not place;
#   - model/ includes detection/, views/ or app/, or detection/ includes views/ or app/.
# Also lists source files over the size budget (600 lines .cpp, 300 lines .h) as warnings (not with --quiet).
# The build runs it (target check_layers), so a back-edge fails the build as well as scripts/test.sh.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
quiet=0
[ "${1:-}" = "--quiet" ] && quiet=1
status=0

hits=$(grep -rnE '#include *[<"](QtWidgets/|QtCharts|QWidget|QMainWindow|QMessageBox|QApplication|QDialog|QChart)' model detection 2>/dev/null)
if [ -n "$hits" ]; then
  echo "error: model/ and detection/ must not include GUI headers:"
  echo "$hits"
  status=1
fi

# model/'s sub-layers, lowest first (scope/ stands apart: it needs only domain/), with the sub-layers each may include. Same-folder includes are always allowed.
declare -A allowed=(
  [domain]=""
  [storage]="domain"
  [ingest]="domain storage"
  [evtx]="domain storage ingest"
  [import]="domain storage ingest evtx"
  [itemmodels]="domain storage evtx"
  [timeline]="domain storage"
  [processtree]="domain storage itemmodels"
  [scope]="domain"
  [report]="domain storage itemmodels processtree"
  [live]="domain storage ingest import"
  [demo]="domain"
)
for dir in model/*/; do
  layer=$(basename "$dir")
  if [ -z "${allowed[$layer]+set}" ]; then
    echo "error: model/$layer/ is not a known sub-layer: place it in scripts/check-layers.sh"
    status=1
    continue
  fi
  while IFS= read -r line; do
    file=${line%%:*}
    target=$(sed -nE 's/.*#include *"([a-z]+)\/.*/\1/p' <<<"$line")
    [ -z "$target" ] || [ "$target" = "$layer" ] && continue
    [ -n "${allowed[$target]+set}" ] || continue # not a model sub-layer (e.g. a system header path)
    case " ${allowed[$layer]} " in
      *" $target "*) ;;
      *) echo "error: $file: model/$layer/ must not include model/$target/ (${line#*:})"; status=1 ;;
    esac
  done < <(grep -rnE '#include *"[a-z]+/' "$dir" --include='*.h' --include='*.cpp' 2>/dev/null)
done

upward=$(grep -rnE '#include *"(detection|views|app)/|#include *"(engine|ruleset|mainwindow|alertspage)\.h"' model 2>/dev/null)
upward+=$(grep -rnE '#include *"(views|app)/|#include *"(mainwindow|alertspage|eventspage)\.h"' detection 2>/dev/null)
if [ -n "$upward" ]; then
  echo "error: an include against the direction app -> views -> model, app -> detection -> model:"
  echo "$upward"
  status=1
fi

if [ "$quiet" = 0 ]; then
  git ls-files '*.cpp' '*.h' 2>/dev/null | while read -r f; do
    [ -f "$f" ] || continue
    n=$(wc -l < "$f")
    case "$f" in *.cpp) lim=600 ;; *) lim=300 ;; esac
    [ "$n" -gt "$lim" ] && echo "warning: $f has $n lines (budget $lim)"
  done
fi
exit $status
