#!/usr/bin/env bash
# Fails when model/ or detection/ include widget or chart headers (they must stay GUI-free), and lists source
# files over the size budget (600 lines .cpp, 300 lines .h) as warnings.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
status=0
hits=$(grep -rnE '#include *[<"](QtWidgets/|QtCharts|QWidget|QMainWindow|QMessageBox|QApplication|QDialog|QChart)' model detection 2>/dev/null)
if [ -n "$hits" ]; then
  echo "error: model/ and detection/ must not include GUI headers:"
  echo "$hits"
  status=1
fi
git ls-files '*.cpp' '*.h' 2>/dev/null | while read -r f; do
  [ -f "$f" ] || continue
  n=$(wc -l < "$f")
  case "$f" in *.cpp) lim=600 ;; *) lim=300 ;; esac
  [ "$n" -gt "$lim" ] && echo "warning: $f has $n lines (budget $lim)"
done
exit $status
