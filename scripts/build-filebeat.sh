#!/usr/bin/env bash
# Builds an unmodified Filebeat (the same libbeat Elasticsearch output that Winlogbeat uses, which runs on Windows
# only) from the Go module proxy into build/tools/filebeat, for tst_livefeeds' Beats test. Needs Go; takes several
# minutes on two cores, which is why the test suite does not do it by itself (the test says SKIP without it).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
version="${1:-v7.17.24}"
out="$PWD/build/tools"
mkdir -p "$out/src"
command -v go > /dev/null || { echo "no go: cannot build Filebeat" >&2; exit 1; }
dir=$(go mod download -json "github.com/elastic/beats/v7@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
rm -rf "$out/src/beats" && cp -r "$dir" "$out/src/beats" && chmod -R u+w "$out/src/beats"
(cd "$out/src/beats" && go build -o "$out/filebeat" ./filebeat)
"$out/filebeat" version
