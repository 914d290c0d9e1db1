#!/usr/bin/env bash
# Runs the README's commands as a new user would, on a clean Debian 12 root built with debootstrap: nothing of
# this machine's packages is visible there, so a package the set-up forgets to install fails here. For people to
# run before a release (it downloads a few hundred MiB and takes a while); not part of .ci/run.
#
#   scripts/fresh-machine-check.sh [ROOT_DIR]      (default /var/tmp/dscope-fresh-root; needs root or sudo)
#
# The committed HEAD of this checkout is copied in (what a clean clone holds), with ../shared beside it when present.
# Inside the root, an unprivileged user with sudo runs the README's test command (scripts/test.sh) and then the
# workbench command (scripts/workbench.sh, offscreen: it must build, open the demo case and stay open 20 s). Then it
# builds the Debian package there (scripts/package.sh) and installs it with apt-get into a second copy of the clean
# root, taken before any build package went in, so that the package's own dependencies must bring everything the
# binary needs; there a new user runs `doppelscope --version` and `doppelscope scan` on a corpus file.
# Every run starts from a new debootstrap (packages a previous run installed would hide a missing one). Set
# KEEP_ROOT=1 to keep the root afterwards, to look inside.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${1:-/var/tmp/dscope-fresh-root}"
debroot="$root-deb"
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
  if [ "${KEEP_ROOT:-0}" != 1 ]; then $sudo rm -rf --one-file-system "$root" "$debroot"; fi
}
trap cleanup EXIT

phase "debootstrap $codename into $root"
for r in "$root" "$debroot"; do
  for m in dev/pts dev sys proc; do $sudo umount -l "$r/$m" 2>/dev/null || true; done
done
$sudo rm -rf --one-file-system "$root" "$debroot"
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

# The package test's root: the same clean system, before any build package is installed.
$sudo cp -a "$root" "$debroot"

mount_system() {
  local r="$1" m
  for m in proc sys dev dev/pts; do
    $sudo mkdir -p "$r/$m"
    case "$m" in
      proc) $sudo mount -t proc proc "$r/proc" ;;
      sys) $sudo mount -t sysfs sys "$r/sys" ;;
      dev) $sudo mount --bind /dev "$r/dev" ;;
      dev/pts) $sudo mount -t devpts devpts "$r/dev/pts" ;;
    esac
    mounted+=("$r/$m")
  done
  $sudo mkdir -p "$r/dev/shm" 2>/dev/null || true
}
mount_system "$root"

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

phase "the Debian package: scripts/package.sh, then apt-get install in a clean root"
t0=$(date +%s)
as_user "DSCOPE_PRESET=ci scripts/package.sh" || { echo "FAILED: building the package" >&2; exit 1; }
deb="$(ls "$home"/doppelscope/build/ci/doppelscope_*_amd64.deb | head -n1)"
mount_system "$debroot"
$sudo cp "$deb" "$debroot/tmp/"
sample="EVTX-ATTACK-SAMPLES/Defense Evasion/de_unmanagedpowershell_psinject_sysmon_7_8_10.evtx"
[ -f "$repo/../shared/datasets/$sample" ] && $sudo cp "$repo/../shared/datasets/$sample" "$debroot/tmp/sample.evtx"
$sudo chroot "$debroot" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  --no-install-recommends /tmp/$(basename "$deb") > /tmp/apt.log 2>&1 || { tail -20 /tmp/apt.log; exit 1; }
  useradd -m -s /bin/bash investigator" || { echo "FAILED: installing the package" >&2; exit 1; }
if $sudo chroot "$debroot" dpkg-query -W -f='${Package}\n' | grep -q -- '-dev$'; then
  echo "FAILED: installing the package brought a -dev package" >&2; exit 1
fi
in_deb() { $sudo chroot "$debroot" /usr/bin/sudo -u investigator -H env -i HOME=/home/investigator \
  PATH=/usr/bin:/bin LANG=C.UTF-8 /bin/bash -lc "cd /home/investigator && $1"; }
in_deb "doppelscope --version" || { echo "FAILED: doppelscope --version from the package" >&2; exit 1; }
if [ -f "$debroot/tmp/sample.evtx" ]; then
  scan="$(in_deb "doppelscope scan /tmp/sample.evtx")" || { echo "$scan"; echo "FAILED: doppelscope scan from the package" >&2; exit 1; }
  echo "$scan"
  echo "$scan" | grep -q "^R1 " || { echo "FAILED: the installed scan raised no R1 alert on the sample" >&2; exit 1; }
else
  echo "not run: the scan from the package (no corpus beside the checkout)"
fi
package_s=$(( $(date +%s) - t0 ))

phase "done"
echo "fresh-machine check passed: tests ${test_s} s, workbench ${workbench_s} s, package ${package_s} s, $(( $(date +%s) - start )) s in all"
