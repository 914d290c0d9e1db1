#!/usr/bin/env bash
# Runs the README's commands as a new user would, on a clean Debian 12 root built with debootstrap: nothing of
# this machine's packages is visible there, so a package the set-up forgets to install fails here. For people to
# run before a release (it downloads a few hundred MiB and takes a while); not part of .ci/run.
#
#   scripts/fresh-machine-check.sh [ROOT_DIR]      (default /var/tmp/dscope-fresh-root; needs root or sudo)
#
# The committed HEAD of this checkout is copied in (what a clean clone holds), with ../shared beside it when present.
# Inside the root, an unprivileged user with sudo runs the README's test command (scripts/test.sh) and then the
# workbench command (scripts/workbench.sh, offscreen: it must build, open the demo case and stay open 20 s).
# Every run starts from a new debootstrap (packages a previous run installed would hide a missing one). Set
# KEEP_ROOT=1 to keep the root afterwards, to look inside.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${1:-/var/tmp/dscope-fresh-root}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

. /etc/os-release
codename="${VERSION_CODENAME:?this machine does not name its Debian release}"
[ "$codename" = bookworm ] || echo "warning: this machine runs $codename; the root will be $codename too" >&2

# The package mirror is the one this machine's apt already uses for its release (deb822 .sources or one-line
# .list files); nothing is written into this script.
find_mirror() {
  local files=() f
  [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
  for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do [ -f "$f" ] && files+=("$f"); done
  awk -v suite="$1" '
    /^[[:space:]]*#/ { next }
    /^deb[[:space:]]/ {                       # one-line format: deb [opts] URI SUITE COMPONENTS
      i = 2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ }
      if ($(i + 1) == suite) { print $i; exit }
      next
    }
    /^Types:/ { types = $0; uris = ""; suites = ""; next }
    /^URIs:/ { uris = $2; next }
    /^Suites:/ { suites = " " substr($0, 8) " " ; next }
    /^[[:space:]]*$/ { if (types ~ /deb( |$)/ && index(suites, " " suite " ") && uris != "") { print uris; exit }
                       types = ""; uris = ""; suites = "" }
    END { if (types ~ /deb( |$)/ && index(suites, " " suite " ") && uris != "") print uris }
  ' "${files[@]}" | head -n1
}
mirror="$(find_mirror "$codename")"
security="$(find_mirror "$codename-security")"
[ -n "$mirror" ] || { echo "error: no apt source for $codename in this machine's apt configuration" >&2; exit 1; }
echo "mirror: $mirror${security:+ (security: $security)}"

command -v debootstrap >/dev/null || {
  echo "installing debootstrap"
  $sudo apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
}

start=$(date +%s)
phase() { echo "== $1 ($(( $(date +%s) - start )) s so far)"; }

mounted=()
cleanup() {
  local m
  for (( i=${#mounted[@]}-1; i>=0; i-- )); do $sudo umount -l "${mounted[$i]}" 2>/dev/null || true; done
  if [ "${KEEP_ROOT:-0}" != 1 ]; then $sudo rm -rf --one-file-system "$root"; fi
}
trap cleanup EXIT

phase "debootstrap $codename into $root"
for m in dev/pts dev sys proc; do $sudo umount -l "$root/$m" 2>/dev/null || true; done
$sudo rm -rf --one-file-system "$root"
$sudo mkdir -p "$root"
# sudo: the README's commands use it for apt-get when run by a user who is not root.
$sudo debootstrap --variant=minbase --include=sudo,ca-certificates "$codename" "$root" "$mirror" > "$root.log" 2>&1 \
  || { tail -20 "$root.log" >&2; exit 1; }
{
  echo "deb $mirror $codename main"
  echo "deb $mirror $codename-updates main"
  [ -n "$security" ] && echo "deb $security $codename-security main"
} | $sudo tee "$root/etc/apt/sources.list" >/dev/null
$sudo cp /etc/resolv.conf "$root/etc/resolv.conf"
# sudo resolves the host name: give the root this machine's, so it does not warn on every call.
$sudo cp /etc/hostname "$root/etc/hostname" 2>/dev/null || true
grep -q " $(hostname)\$" "$root/etc/hosts" 2>/dev/null || echo "127.0.1.1 $(hostname)" | $sudo tee -a "$root/etc/hosts" >/dev/null

for m in proc sys dev dev/pts; do
  $sudo mkdir -p "$root/$m"
  case "$m" in
    proc) $sudo mount -t proc proc "$root/proc" ;;
    sys) $sudo mount -t sysfs sys "$root/sys" ;;
    dev) $sudo mount --bind /dev "$root/dev" ;;
    dev/pts) $sudo mount -t devpts devpts "$root/dev/pts" ;;
  esac
  mounted+=("$root/$m")
done
$sudo mkdir -p "$root/dev/shm" 2>/dev/null || true

phase "a new user with sudo rights, and the checkout"
$sudo chroot "$root" /bin/sh -c 'id analyst >/dev/null 2>&1 || useradd -m -s /bin/bash analyst;
  echo "analyst ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/analyst; chmod 440 /etc/sudoers.d/analyst'
home="$root/home/analyst"
$sudo rm -rf "$home/doppelscope" "$home/shared"
$sudo mkdir -p "$home/doppelscope"
git -C "$repo" archive HEAD | $sudo tar -x -C "$home/doppelscope"
if [ -d "$repo/../shared" ]; then
  $sudo cp -r "$repo/../shared" "$home/shared"
fi
$sudo chroot "$root" chown -R analyst:analyst /home/analyst

as_user() { $sudo chroot "$root" /usr/bin/sudo -u analyst -H env -i HOME=/home/analyst PATH=/usr/bin:/bin:/usr/sbin:/sbin \
  LANG=C.UTF-8 /bin/bash -lc "cd /home/analyst/doppelscope && $1"; }

phase "the README's test command: scripts/test.sh"
t0=$(date +%s)
as_user "scripts/test.sh"
test_s=$(( $(date +%s) - t0 ))

phase "the README's workbench command: scripts/workbench.sh (offscreen; the window closes itself 20 s after it opens)"
t0=$(date +%s)
as_user "QT_QPA_PLATFORM=offscreen scripts/workbench.sh --quit-after 20" || { echo "FAILED: the workbench command" >&2; exit 1; }
workbench_s=$(( $(date +%s) - t0 ))

phase "done"
echo "fresh-machine check passed: tests ${test_s} s, workbench ${workbench_s} s, $(( $(date +%s) - start )) s in all"
