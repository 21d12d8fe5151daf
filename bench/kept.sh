#!/usr/bin/env bash
# What checking the kept register against the database costs whole commands, on a real versioned code: `inforce
# status`, `inforce show` and `inforce diff` of two consecutive versions, each answered from the kept copy (the
# check: the latest publication and its log digest read, compared in constant time), and a read that makes the
# copy again, as the first after a publication does (and now verifies the ledger in full first). The check's own cost, in process,
# is `cargo bench -p inforce --bench kept`.
#
#   bash bench/kept.sh [CORPUS]                  CORPUS defaults to fr-code-civil (from ../shared/corpora)
#   BASE_BIN=/path/to/inforce bash bench/kept.sh  also runs another build (one before the check) on the same data
set -euo pipefail
corpus=${1:-fr-code-civil}
root=$(cd "$(dirname "$0")/.." && pwd)
archive="$root/../shared/corpora/$corpus.tar.xz"
[ -f "$archive" ] || { echo "no corpus at $archive (../shared is not on this machine)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xJf "$archive" -C "$work"
src="$work/$corpus"
bin=${BIN:-}
if [ -z "$bin" ]; then
  (cd "$root" && cargo build --release -q -p inforce)
  bin="$root/target/release/inforce"
fi
export INFORCE_TODAY=2026-11-28
versions=$(tail -n +2 "$src/versions.tsv" | cut -f1)
last=$(echo "$versions" | tail -n 1)
previous=$(echo "$versions" | tail -n 2 | sed -n 1p)
# sed reads all its input: no early exit for pipefail to trip on.
provision=$(ls "$src/$last" | sed -n '1s/\.md$//p')
echo "corpus: $corpus, $(echo "$versions" | wc -l) versions; diff $previous $last; provision $provision; $(nproc) cores"

# The median and mean of RUNS runs of a command, in milliseconds.
times() {
  python3 - "$@" << 'EOF'
import os, statistics, subprocess, sys, time
runs = int(os.environ.get("RUNS", "20"))
taken = []
for _ in range(runs):
    started = time.perf_counter()
    subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)
    taken.append((time.perf_counter() - started) * 1000)
print("median %.1f ms, mean %.1f ms" % (statistics.median(taken), statistics.mean(taken)))
EOF
}

measure() {  # label, binary
  local label=$1 binary=$2 db="$work/$1.db"
  export INFORCE_DB="$db"
  "$binary" import "$src" --code "$corpus" > /dev/null
  echo "== $label"
  # As the first read after a publication: the kept copy removed each time, so each run makes it again.
  echo "status, the copy made again: $(times sh -c "rm -f '$db.register-$corpus' && exec '$binary' status '$provision' --code '$corpus'")"
  echo "verify (for scale): $(times "$binary" verify --code "$corpus")"
  echo "status:            $(times "$binary" status "$provision" --code "$corpus")"
  echo "show:              $(times "$binary" show "$provision" --code "$corpus")"
  echo "diff (whole code): $(times "$binary" diff "$previous" "$last" --code "$corpus")"
}

[ -n "${BASE_BIN:-}" ] && measure base "$BASE_BIN"
measure this "$bin"
