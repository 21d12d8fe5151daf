#!/usr/bin/env bash
# SQLite against PostgreSQL, in one run on this machine: import of a real versioned code, bytes stored, the
# whole-process time of `inforce at`, `show` and `diff`, and requests per second of a provision page served by one
# instance on SQLite against two instances sharing one PostgreSQL.
#
#   bash bench/backends.sh [CORPUS]     CORPUS defaults to fr-code-civil (from ../shared/corpora)
#
# Needs PostgreSQL at $INFORCE_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432), psql, hyperfine and
# wrk (Debian: apt-get install hyperfine wrk). DURATION (default 30s) is the length of each wrk run.
# In-process query times do not touch the store; they come from `cargo bench -p inforce --bench texts`.
set -euo pipefail
corpus=${1:-fr-code-civil}
duration=${DURATION:-30s}
server=${INFORCE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
root=$(cd "$(dirname "$0")/.." && pwd)
archive="$root/../shared/corpora/$corpus.tar.xz"
[ -f "$archive" ] || { echo "no corpus at $archive (../shared is not on this machine)"; exit 1; }
for tool in psql hyperfine wrk curl; do
  command -v "$tool" > /dev/null || { echo "$tool is missing (apt-get install postgresql-client hyperfine wrk curl)"; exit 1; }
done
work=$(mktemp -d)
database="inforce_bench_$$"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done
  wait 2> /dev/null || true
  psql -q "$server/postgres" -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
tar -xJf "$archive" -C "$work"
src="$work/$corpus"
(cd "$root" && cargo build --release -q -p inforce)
bin="$root/target/release/inforce"
export INFORCE_TODAY=2026-11-28
# wrk's connections all come from 127.0.0.1: as many clients, not one.
export INFORCE_MAX_CONNECTIONS_PER_ADDRESS=${INFORCE_MAX_CONNECTIONS_PER_ADDRESS:-1024}
psql -q "$server/postgres" -c "CREATE DATABASE $database" > /dev/null
sqlite_db="$work/inforce.db"
postgres_db="$server/$database"

versions=$(tail -n +2 "$src/versions.tsv" | cut -f1)
first=$(echo "$versions" | head -1)
second=$(echo "$versions" | sed -n 2p)
last=$(echo "$versions" | tail -1)
article=$(ls "$src/$last" | sed -n '1s/\.md$//p')
echo "corpus: $corpus, $(echo "$versions" | wc -l) versions; $(nproc) cores"
echo

size() {
  case $1 in
    postgres*) psql -qtA "$1" -c "SELECT pg_database_size(current_database())" ;;
    *) stat -c %s "$1" ;;
  esac
}

# Mean seconds of a command over repeated runs, in milliseconds.
mean_ms() {
  hyperfine -N --warmup 2 --runs "${RUNS:-10}" --export-json "$work/h.json" "$@" > /dev/null 2>&1
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f ms (sd %.1f)" % (r["mean"]*1e3, r["stddev"]*1e3))' "$work/h.json"
}

printf "%-44s %-26s %-26s\n" "" "SQLite" "PostgreSQL"
declare -A result
for backend in sqlite postgres; do
  db=$([ $backend = sqlite ] && echo "$sqlite_db" || echo "$postgres_db")
  export INFORCE_DB="$db"
  "$bin" codes > /dev/null   # creates the schema and loads the built-in register, outside the timing
  before=$(size "$db")
  /usr/bin/time -f "%e s, peak %M KiB" -o "$work/t" "$bin" import "$src" --code "$corpus" > /dev/null
  result[$backend,import]=$(cat "$work/t")
  "$bin" codes > /dev/null
  result[$backend,bytes]=$(( $(size "$db") - before ))
  /usr/bin/time -f "%e s" -o "$work/t" "$bin" import "$src" --code "$corpus" > /dev/null
  result[$backend,reimport]=$(cat "$work/t")
  result[$backend,versions]=$(mean_ms "$bin versions")
  result[$backend,at]=$(mean_ms "$bin at 2020-06-01 --code $corpus")
  result[$backend,show]=$(mean_ms "$bin show $article --at 2020-06-01 --code $corpus")
  result[$backend,diff1]=$(mean_ms "$bin diff $first $second --code $corpus")
  result[$backend,diffall]=$(mean_ms "$bin diff $first $last --code $corpus --format json")
done
row() { printf "%-44s %-26s %-26s\n" "$1" "${result[sqlite,$2]}" "${result[postgres,$2]}"; }
row "import (all versions)" import
row "import again (nothing new)" reimport
row "bytes stored for the code" bytes
row "whole process: versions (SEC)" versions
row "whole process: at 2020-06-01" at
row "whole process: show one provision" show
row "whole process: diff $first $second" diff1
row "whole process: diff $first $last (json)" diffall
echo

# Serving: one instance on SQLite, then two instances on one PostgreSQL, each with half the connections.
page="/codes/$corpus/provisions/$article?version=$last"
serve() {
  INFORCE_DB=$1 "$bin" serve --addr "127.0.0.1:$2" > /dev/null 2>&1 &
  pids+=($!)
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$2/readyz" > /dev/null && return; sleep 0.1; done
  echo "the server on port $2 did not become ready"; exit 1
}
rps() {
  if grep -q "Non-2xx" "$1"; then echo "error: some answers were not 200: $(grep Non-2xx "$1")" >&2; exit 1; fi
  awk '/Requests\/sec/ {print $2}' "$1"
}
p99() { awk '$1 == "99%" {print $2}' "$1"; }
serve "$sqlite_db" 18501
curl -sf -o /dev/null "http://127.0.0.1:18501$page" || { echo "$page does not answer 200"; exit 1; }
wrk -t2 -c64 -d"$duration" --latency "http://127.0.0.1:18501$page" > "$work/one"
kill "${pids[-1]}"
serve "$postgres_db" 18502
serve "$postgres_db" 18503
wrk -t1 -c32 -d"$duration" --latency "http://127.0.0.1:18502$page" > "$work/a" &
first_wrk=$!
wrk -t1 -c32 -d"$duration" --latency "http://127.0.0.1:18503$page" > "$work/b"
wait "$first_wrk"
echo "provision page $page, wrk for $duration, 64 connections in all:"
echo "  one instance on SQLite:            $(rps "$work/one") req/s, p99 $(p99 "$work/one")"
total=$(awk -v a="$(rps "$work/a")" -v b="$(rps "$work/b")" 'BEGIN { printf "%.2f", a + b }')
echo "  two instances on one PostgreSQL:   $total req/s in all ($(rps "$work/a") + $(rps "$work/b")), p99 $(p99 "$work/a") / $(p99 "$work/b")"
echo "  (every answer comes from memory, so the database only matters at start and on a publication; on $(nproc) cores"
echo "   two instances and the load generator share the same processors)"
