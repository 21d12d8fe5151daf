#!/usr/bin/env bash
# Search on a real versioned code, in one run on this machine: the index (build time, size kept beside the
# database), 200 in-process queries (p50, p99) against ripgrep over the corpus folder for the same plain words,
# whole-process `inforce search`, and served queries over HTTP.
#
#   bash bench/search.sh [CORPUS]       CORPUS defaults to fr-code-civil (from ../shared/corpora)
#
# Needs ripgrep (apt-get install ripgrep); hyperfine and wrk are used when present.
set -euo pipefail
corpus=${1:-fr-code-civil}
root=$(cd "$(dirname "$0")/.." && pwd)
archive="$root/../shared/corpora/$corpus.tar.xz"
[ -f "$archive" ] || { echo "no corpus at $archive (../shared is not on this machine)"; exit 1; }
command -v rg > /dev/null || { echo "ripgrep (rg) is missing: apt-get install ripgrep"; exit 1; }
work=$(mktemp -d)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
tar -xJf "$archive" -C "$work"
src="$work/$corpus"
(cd "$root" && cargo build --release -q -p inforce)
bin="$root/target/release/inforce"
export INFORCE_DB="$work/inforce.db" INFORCE_TODAY=2026-11-28 XDG_CACHE_HOME="$work/cache"

"$bin" import "$src" --code "$corpus" > /dev/null
echo "corpus: $corpus, $(du -sb "$src" | cut -f1) bytes of text files"
"$bin" reindex --code "$corpus"
echo "kept index: $(stat -c %s "$INFORCE_DB.search-$corpus") bytes beside a database of $(stat -c %s "$INFORCE_DB") bytes"
echo

echo "in-process (cargo bench -p inforce --bench search):"
(cd "$root" && INFORCE_BENCH_CORPUS="$src" cargo bench -q -p inforce --bench search 2> /dev/null | grep -E "^(index|200|50|20)")
echo

if command -v hyperfine > /dev/null; then
  echo "whole process, loading the register, its texts and the kept index each time:"
  for q in paiement '"bonne foi"' 'paie*' 'mariage NOT divorce'; do
    hyperfine -N --warmup 2 --runs 10 --export-json "$work/h.json" "$bin search '$q' --code $corpus --at 2020-06-01" > /dev/null 2>&1
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("  inforce search %-24s %6.1f ms" % (sys.argv[2], r["mean"]*1e3))' "$work/h.json" "$q"
  done
  echo
fi

if command -v wrk > /dev/null && command -v curl > /dev/null; then
  "$bin" serve --addr 127.0.0.1:18601 > /dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do curl -sf http://127.0.0.1:18601/readyz > /dev/null && break; sleep 0.1; done
  curl -sf -o /dev/null "http://127.0.0.1:18601/api/v1/search?code=$corpus&q=warmup"
  echo "served, one connection for 5 s each (wrk --latency):"
  for q in paiement '%22bonne%20foi%22' 'paie*'; do
    url="http://127.0.0.1:18601/api/v1/search?code=$corpus&q=$q&all_versions=1"
    out=$(wrk -t1 -c1 -d5s --latency "$url")
    if echo "$out" | grep -q "Non-2xx"; then echo "error: $url did not answer 200"; exit 1; fi
    printf "  /api/v1/search?q=%-22s p50 %8s  p99 %8s  %s req/s\n" "$q" "$(echo "$out" | awk '$1 == "50%" {print $2}')" \
      "$(echo "$out" | awk '$1 == "99%" {print $2}')" "$(echo "$out" | awk '/Requests\/sec/ {print $2}')"
  done
fi
