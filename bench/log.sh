#!/usr/bin/env bash
# The publication log's cost on a real versioned code: import (which writes every publication's digest), `inforce
# verify` (every digest recomputed, every text, pack, change list and file rehashed), the first and a cached
# request for a publication's content in the log, and `inforce verify --remote` (an outsider recomputing every
# digest over HTTP), on SQLite and PostgreSQL.
#
#   bash bench/log.sh [CORPUS]          CORPUS defaults to fr-code-civil (from ../shared/corpora)
#   BASE=ea01fc0 bash bench/log.sh      also imports with a build of BASE (before the log) for the digests' cost
#
# Needs PostgreSQL at $INFORCE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432), psql, hyperfine, curl.
set -euo pipefail
corpus=${1:-fr-code-civil}
server=${INFORCE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
root=$(cd "$(dirname "$0")/.." && pwd)
archive="$root/../shared/corpora/$corpus.tar.xz"
[ -f "$archive" ] || { echo "no corpus at $archive (../shared is not on this machine)"; exit 1; }
for tool in psql hyperfine curl; do
  command -v "$tool" > /dev/null || { echo "$tool is missing (apt-get install postgresql-client hyperfine curl)"; exit 1; }
done
work=$(mktemp -d)
database="inforce_bench_log_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" > /dev/null 2>&1 || true
  [ -n "${BASE:-}" ] && git -C "$root" worktree remove --force "$work/base" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
tar -xJf "$archive" -C "$work"
src="$work/$corpus"
(cd "$root" && cargo build --release -q -p inforce)
bin="$root/target/release/inforce"
export INFORCE_TODAY=2026-11-28
psql -q "$server/postgres" -c "CREATE DATABASE $database" > /dev/null
echo "corpus: $corpus, $(tail -n +2 "$src/versions.tsv" | wc -l) versions; $(nproc) cores"

mean() {
  hyperfine -N --warmup 1 --runs "${RUNS:-5}" --export-json "$work/h.json" "$@" > /dev/null 2>&1
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f s (sd %.2f)" % (r["mean"], r["stddev"]))' "$work/h.json"
}

import_time() {  # binary, database: the mean of 3 imports into a new database (after one to warm the caches)
  case $2 in
    postgres*) reset="psql -q $server/postgres -c 'DROP DATABASE IF EXISTS $database WITH (FORCE)' -c 'CREATE DATABASE $database'" ;;
    *) reset="rm -f $2 $2-wal $2-shm" ;;
  esac
  hyperfine -N --warmup 1 --runs 3 --prepare "sh -c \"$reset && INFORCE_DB=$2 $1 codes > /dev/null\"" \
    --export-json "$work/h.json" "env INFORCE_DB=$2 $1 import $src --code $corpus" > /dev/null 2>&1
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.2f s (sd %.2f)" % (r["mean"], r["stddev"]))' "$work/h.json"
}

# The corpus as an administrator would bring it: a folder grown in eight steps, each import adding the versions
# it gained as one publication, so the log holds a chain of eight.
grown() {  # database
  local steps=8 total
  total=$(tail -n +2 "$src/versions.tsv" | wc -l)
  rm -rf "$work/grown" && mkdir -p "$work/grown"
  for step in $(seq 1 $steps); do
    local upto=$(( total * step / steps ))
    head -n $(( upto + 1 )) "$src/versions.tsv" > "$work/grown/versions.tsv"
    # Hard links: the importer follows no symbolic link, and a copy of every version would be 800 MB.
    for version in $(tail -n +2 "$work/grown/versions.tsv" | cut -f1); do
      [ -d "$work/grown/$version" ] || cp -al "$src/$version" "$work/grown/$version"
    done
    INFORCE_DB="$1" "$bin" import "$work/grown" --code "$corpus-grown" > /dev/null
  done
}

for backend in sqlite postgres; do
  db=$([ $backend = sqlite ] && echo "$work/inforce.db" || echo "$server/$database")
  echo
  echo "== $backend"
  echo "import (one publication), digests written: $(import_time "$bin" "$db")"
  INFORCE_DB="$db" "$bin" import "$src" --code "$corpus" > /dev/null 2>&1 || true
  grown "$db"
  for code in "$corpus" "$corpus-grown"; do
    publications=$(INFORCE_DB="$db" "$bin" verify --code "$code" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["codes"][0]["size"])')
    /usr/bin/time -f "%e s, peak %M KiB" -o "$work/t" env INFORCE_DB="$db" "$bin" verify --code "$code" > /dev/null
    echo "verify $code ($publications publications): $(cat "$work/t"); mean $(INFORCE_DB="$db" mean "$bin verify --code $code")"
  done
done

echo
echo "== the log served (SQLite)"
"$bin" key generate "$work/site.key" --name bench.example.org --format json \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["verifier_key"])' > "$work/site.pub"
INFORCE_DB="$work/inforce.db" "$bin" serve --addr 127.0.0.1:18765 --signing-key "$work/site.key" > /dev/null 2>&1 &
pids+=($!)
for _ in $(seq 100); do curl -sf http://127.0.0.1:18765/healthz > /dev/null && break; sleep 0.1; done
first=$(curl -sf -o "$work/one.json" -w "%{time_total}" "http://127.0.0.1:18765/api/v1/$corpus-grown/log/1")
again=$(curl -sf -o /dev/null -w "%{time_total}" "http://127.0.0.1:18765/api/v1/$corpus-grown/log/2")
echo "first request of a publication's content: ${first} s ($(stat -c %s "$work/one.json") bytes); another, content already recomputed: ${again} s"
for code in "$corpus" "$corpus-grown"; do
  /usr/bin/time -f "%e s, peak %M KiB" -o "$work/t" "$bin" verify --remote http://127.0.0.1:18765 --key "$work/site.pub" --code "$code" > /dev/null
  echo "verify --remote $code: $(cat "$work/t")"
done

if [ -n "${BASE:-}" ]; then
  echo
  echo "== import with $BASE (before the log), SQLite"
  git -C "$root" worktree add -q --detach "$work/base" "$BASE"
  (cd "$work/base" && CARGO_TARGET_DIR="$root/target/bench-base" cargo build --release -q -p inforce)
  echo "import (one publication), no digests: $(import_time "$root/target/bench-base/release/inforce" "$work/base.db")"
fi
