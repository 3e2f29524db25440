#!/usr/bin/env bash
# Builds the FerretDB wrapper binary (./ferretdb) unless it is already newer than
# its sources; the first build compiles SQLite in pure Go and takes a few minutes.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

is_up_to_date() {
  [[ -x ferretdb ]] || return 1
  local source
  for source in *.go go.mod go.sum; do
    [[ ferretdb -nt "$source" ]] || return 1
  done
}

is_up_to_date && exit 0

if ! command -v go >/dev/null 2>&1; then
  echo "build.sh: 'go' is not on PATH; install Go to build the FerretDB tool" >&2
  exit 1
fi

# Several test projects may start at once: serialise builds on a lock held on this
# script itself (no extra lock file), then re-check in case another build just finished.
exec 9<build.sh
flock 9
is_up_to_date && exit 0

echo "building FerretDB tool (first run only)..." >&2
# Build to a temp name and rename, so an interrupted build never leaves a broken binary.
trap 'rm -f ferretdb.partial' EXIT
go build -o ferretdb.partial .
mv -f ferretdb.partial ferretdb
echo "built $(pwd)/ferretdb" >&2
