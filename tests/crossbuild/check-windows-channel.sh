#!/usr/bin/env bash
# The Windows event log subscription (app/live/windowschannel_win.cpp) is built only on Windows. This compiles it,
# with warnings as errors, and links it against wevtapi with the MinGW-w64 cross compiler, so that the code does not
# rot on a Linux-only workflow. SKIP (77) when the cross compiler is not installed (Debian: g++-mingw-w64-x86-64).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="$here/../../app/live"
compiler=$(command -v x86_64-w64-mingw32-g++ || true)
if [ -z "$compiler" ]; then
  echo "SKIP: no x86_64-w64-mingw32-g++ (Debian package g++-mingw-w64-x86-64): the Windows subscription was not compiled"
  exit 77
fi
out="${1:-$(mktemp -d)}"
mkdir -p "$out"
"$compiler" -std=c++20 -Wall -Wextra -Werror -O1 -I"$src" "$src/windowschannel_win.cpp" "$here/windowschannel_main.cpp" \
  -lwevtapi -static -o "$out/windowschannel.exe"
file "$out/windowschannel.exe" 2>/dev/null || ls -l "$out/windowschannel.exe"
echo "the Windows event log subscription compiles and links: $out/windowschannel.exe"
