#!/usr/bin/env bash
# Installs the Debian 12 packages listed in debian-packages.txt (skips apt when all are present), then proves the
# result: CMake must find every package the build asks for (cmake/DscopeDependencies.cmake), or this step fails
# naming each one it cannot find. A package a machine had from elsewhere cannot hide a missing one here.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mapfile -t pkgs < <(grep -v '^#' "$here/debian-packages.txt" | grep -v '^$')
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
probe="$(mktemp -d)"
trap 'rm -rf "$probe"' EXIT
if ! cmake -S "$here/depcheck" -B "$probe" -G Ninja > "$probe.log" 2>&1; then
  grep -v '^--' "$probe.log" >&2 || true
  rm -f "$probe.log"
  echo "error: the packages are installed, but CMake cannot find everything the build needs (see above)." >&2
  exit 1
fi
rm -f "$probe.log"
echo "dependencies: every package the build needs is installed and found by CMake"
