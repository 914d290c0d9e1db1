#!/usr/bin/env bash
# Installs the build into a temporary prefix (cmake --install) and checks what a desktop and man(1) need: the binary
# runs from there, the desktop entry and the case file type are valid, the icon exists at every size and is a PNG of
# that size, and the man page formats without warnings. Validators that are not installed are reported as not run.
#   check-install.sh CMAKE BUILD_DIR
set -euo pipefail
cmake_cmd="$1"
build="$2"
prefix="$(mktemp -d)"
trap 'rm -rf "$prefix"' EXIT
"$cmake_cmd" --install "$build" --prefix "$prefix" > "$prefix.log" || { cat "$prefix.log"; exit 1; }
rm -f "$prefix.log"
fail() { echo "FAIL: $*" >&2; exit 1; }

[ -x "$prefix/bin/doppelscope" ] || fail "bin/doppelscope is not installed"
version="$("$prefix/bin/doppelscope" --version | head -n1)"
case "$version" in doppelscope\ [0-9]*) ;; *) fail "the installed binary's --version says: $version" ;; esac

desktop="$prefix/share/applications/doppelscope.desktop"
[ -f "$desktop" ] || fail "no desktop entry"
grep -q '^Exec=doppelscope %f$' "$desktop" || fail "the desktop entry does not start doppelscope with a file"
grep -q '^Icon=doppelscope$' "$desktop" || fail "the desktop entry names another icon"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "desktop-file-validate rejects the entry"
else
  echo "not run: desktop-file-validate (package desktop-file-utils) is not installed"
fi
mime="$prefix/share/mime/packages/doppelscope.xml"
[ -f "$mime" ] || fail "no MIME type for .dscase"
grep -q 'glob pattern="\*.dscase"' "$mime" || fail "the MIME type does not match *.dscase"

for size in 16 24 32 48 64 128 256; do
  png="$prefix/share/icons/hicolor/${size}x${size}/apps/doppelscope.png"
  [ -f "$png" ] || fail "no ${size}px icon"
  # PNG signature, then the IHDR width and height as 32-bit big-endian numbers at bytes 16 and 20.
  [ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$png is not a PNG"
  w=$(( $(od -An -tu1 -j16 -N4 "$png" | awk '{print ($1*16777216)+($2*65536)+($3*256)+$4}') ))
  h=$(( $(od -An -tu1 -j20 -N4 "$png" | awk '{print ($1*16777216)+($2*65536)+($3*256)+$4}') ))
  [ "$w" = "$size" ] && [ "$h" = "$size" ] || fail "the ${size}px icon is ${w}x${h}"
done

man="$prefix/share/man/man1/doppelscope.1"
[ -f "$man" ] || fail "no man page"
grep -q '@PROJECT_VERSION@' "$man" && fail "the man page's version was not filled in"
# Every command the binary accepts is documented.
for cmd in import scan report export-timeline info screenshot --version --demo --quit-after; do
  grep -q -- "$(printf '%s' "$cmd" | sed 's/-/\\\\-/g')" "$man" || fail "the man page does not document $cmd"
done
if command -v groff >/dev/null; then
  warnings="$(groff -man -Tutf8 -ww -z "$man" 2>&1)"
  [ -z "$warnings" ] || fail "groff warns on the man page: $warnings"
else
  echo "not run: groff (package groff-base) is not installed"
fi
echo "installed layout checked under a temporary prefix"
