#!/usr/bin/env bash
# Text storage and comparison against git, on one real versioned code, in one run on this machine.
#
#   bash bench/texts.sh [CORPUS]        CORPUS defaults to fr-code-civil (from ../shared/corpora)
#
# Measures: import time, peak memory and bytes stored, against a git commit loop (one commit per version) and
# git's packed size after `git gc --aggressive`; whole-code comparison of every pair of consecutive versions and of
# first against last, against `git diff --word-diff=porcelain`, checking that both name the same changed
# provisions; whole-process time and peak memory of `inforce show` and `inforce diff`. In-process query times
# (text of the whole code at a random date) come from `cargo bench -p inforce --bench texts`.
set -euo pipefail
corpus=${1:-fr-code-civil}
root=$(cd "$(dirname "$0")/.." && pwd)
archive="$root/../shared/corpora/$corpus.tar.xz"
[ -f "$archive" ] || { echo "no corpus at $archive (../shared is not on this machine)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xJf "$archive" -C "$work"
src="$work/$corpus"
(cd "$root" && cargo build --release -q -p inforce)
bin="$root/target/release/inforce"
export INFORCE_DB="$work/inforce.db"
export INFORCE_TODAY=2026-11-28

# Runs a command, keeps "seconds max-rss-KiB" in $work/last.
timed() { /usr/bin/time -f "%e %M" -o "$work/last" "$@" > /dev/null; }
seconds() { cut -d' ' -f1 "$work/last"; }
rss_mib() { awk '{printf "%.1f", $2/1024}' "$work/last"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f", a/b; else print "inf" }'; }

versions=$(tail -n +2 "$src/versions.tsv" | cut -f1)
count=$(echo "$versions" | wc -l)
files=$(find "$src" -name '*.md' | wc -l)
echo "corpus: $corpus, $count versions, $files provision files, $(du -sb "$src" | cut -f1) bytes on disk"
echo

# Import.
"$bin" codes > /dev/null   # creates the database and loads the built-in register, outside the timing
before=$(stat -c %s "$INFORCE_DB")
timed "$bin" import "$src" --code "$corpus"
import_s=$(seconds); import_rss=$(rss_mib)
"$bin" codes > /dev/null   # a clean close folds the write-ahead log into the file
db_bytes=$(( $(stat -c %s "$INFORCE_DB") - before ))
timed "$bin" import "$src" --code "$corpus"
reimport_s=$(seconds)

# Git: one commit per version, then packed.
repo="$work/git"
mkdir -p "$repo"
git -C "$repo" init -q
git -C "$repo" config user.email bench@example.org
git -C "$repo" config user.name bench
start=$(date +%s.%N)
for v in $versions; do
  find "$repo" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  cp "$src/$v"/*.md "$repo"/ 2>/dev/null || true
  git -C "$repo" add -A
  git -C "$repo" commit -q --allow-empty -m "$v"
  git -C "$repo" tag "$v"
done
git_commit_s=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
git -C "$repo" gc -q --aggressive
git_bytes=$(du -sb "$repo/.git/objects" | cut -f1)

echo "import (all versions)      inforce ${import_s}s, peak ${import_rss} MiB | git commit loop ${git_commit_s}s | $(ratio "$git_commit_s" "$import_s")x faster (goal >= 10x)"
echo "import again (no change)   inforce ${reimport_s}s"
echo "bytes stored               inforce $db_bytes | git packed (gc --aggressive) $git_bytes | $(ratio "$db_bytes" "$git_bytes") of git (goal <= 1.0)"
echo

# Comparisons: every consecutive pair, then first against last.
names() { grep -v "^$" | sort -u || true; }
pairs=()
prev=""
for v in $versions; do
  [ -n "$prev" ] && pairs+=("$prev:$v")
  prev=$v
done
first=$(echo "$versions" | head -1)
last=$(echo "$versions" | tail -1)
mismatch=0
compare_pairs() {
  local label=$1; shift
  local ours=0 theirs=0
  for pair in "$@"; do
    a=${pair%%:*}; b=${pair##*:}
    t0=$(date +%s%N)
    "$bin" diff "$a" "$b" --code "$corpus" --format json > "$work/ours.json"
    t1=$(date +%s%N)
    git -C "$repo" diff --word-diff=porcelain "$a" "$b" > /dev/null
    t2=$(date +%s%N)
    ours=$(( ours + t1 - t0 )); theirs=$(( theirs + t2 - t1 ))
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("\n".join(p["id"] for p in d["provisions"] if p["change"] in ("added","removed","changed")))' "$work/ours.json" | names > "$work/ours.txt"
    git -C "$repo" diff --no-renames --name-only "$a" "$b" | sed 's/\.md$//' | tr '[:lower:]' '[:upper:]' | names > "$work/git.txt"
    if ! cmp -s <(tr '[:lower:]' '[:upper:]' < "$work/ours.txt" | names) "$work/git.txt"; then
      echo "  MISMATCH in changed provisions for $a..$b"; mismatch=1
    fi
  done
  echo "$label inforce $(awk -v n="$ours" 'BEGIN{printf "%.3f", n/1e9}')s | git $(awk -v n="$theirs" 'BEGIN{printf "%.3f", n/1e9}')s | $(ratio "$theirs" "$ours")x (goal >= 3x; whole processes: inforce opens the database and reads its kept register each time)"
}
"$bin" versions --code "$corpus" > /dev/null   # keeps the loaded register beside the database, outside the timing
compare_pairs "diff, $((count - 1)) consecutive pairs" "${pairs[@]}"
compare_pairs "diff, first against last  " "$first:$last"
[ "$mismatch" = 0 ] && echo "changed provisions: inforce and git name the same ones in every comparison"
echo

# What a process costs before it does anything: the floor under every whole-process figure above.
floor() { local s; s=$(date +%s%N); for _ in $(seq 50); do "$@" > /dev/null; done; awk -v n="$(( $(date +%s%N) - s ))" 'BEGIN{printf "%.2f", n/50/1e6}'; }
echo "process floor, mean of 50: inforce --version $(floor "$bin" --version) ms | git --version $(floor git --version) ms | inforce versions (open the database, read the kept register) $(floor "$bin" versions --code "$corpus") ms"
echo

timed "$bin" diff "$first" "$last" --code "$corpus" --format json
echo "peak memory: diff first..last $(rss_mib) MiB in $(seconds)s (whole process)"
article=$(ls "$src/$last" | sed -n '1s/\.md$//p')
timed "$bin" show "$article" --at 2020-06-01 --code "$corpus"
echo "peak memory: show one provision $(rss_mib) MiB in $(seconds)s (whole process)"
timed "$bin" export "$work/export" --at 2020-06-01 --format markdown --code "$corpus"
echo "export the whole code at a date: $(seconds)s, peak $(rss_mib) MiB (whole process, writing $(ls "$work/export/provisions" | wc -l) files)"
echo
echo "in-process queries (cargo bench -p inforce --bench texts):"
(cd "$root" && INFORCE_BENCH_CORPUS="$src" cargo bench -q -p inforce --bench texts 2>/dev/null | grep -E "^(corpus|whole|blame)")
