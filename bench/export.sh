#!/usr/bin/env bash
# The static export at scale: `inforce export-site` of the built-in SEC register with one French code from
# ../shared/corpora (import, then export), reporting files, bytes and time. Goals (issue 20): under 30,000 files for
# fr-code-procedures-civiles-execution, fr-code-civil in under 60 s.
#
#   bash bench/export.sh [CORPUS...]      default: fr-code-procedures-civiles-execution fr-code-civil
#   BASE=fd61e65 bash bench/export.sh     also exports with a build of BASE, for comparison
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
corpora=("$@")
[ ${#corpora[@]} -gt 0 ] || corpora=(fr-code-procedures-civiles-execution fr-code-civil)
work=$(mktemp -d)
cleanup() {
  [ -n "${BASE:-}" ] && git -C "$root" worktree remove --force "$work/base" > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$root"
cargo build --release -q -p inforce
builds=("current:$root/target/release/inforce")
if [ -n "${BASE:-}" ]; then
  git worktree add -q "$work/base" "$BASE"
  (cd "$work/base" && cargo build --release -q -p inforce)
  builds+=("$BASE:$work/base/target/release/inforce")
fi
for corpus in "${corpora[@]}"; do
  archive="$root/../shared/corpora/$corpus.tar.xz"
  [ -f "$archive" ] || { echo "no corpus at $archive (../shared is not on this machine)"; exit 1; }
  tar -xJf "$archive" -C "$work"
  for build in "${builds[@]}"; do
    name=${build%%:*} bin=${build#*:}
    db="$work/$corpus-$name.db" out="$work/site-$corpus-$name"
    "$bin" --db "$db" import "$work/$corpus" --code bench --title "$corpus" > /dev/null
    start=$(date +%s%N)
    "$bin" --db "$db" export-site "$out" > /dev/null 2>&1
    took=$(( ($(date +%s%N) - start) / 1000000 ))
    echo "$corpus ($name): $(find "$out" -type f | wc -l) files, $(du -sh "$out" | cut -f1), ${took} ms"
    # The copy's search: the size of the code's index and, where the browser tests' tools are installed, how long
    # its search page takes to answer.
    if [ -f "$out/codes/bench/search/index.js" ]; then
      echo "  search index: $(du -h "$out/codes/bench/search/index.js" | cut -f1)"
      if [ -d "$root/tests/browser/node_modules/playwright-core" ] && [ -x "${INFORCE_CHROMIUM:-/usr/bin/chromium}" ]; then
        node "$root/bench/static-search.mjs" "$out/codes/bench/search.html" paiement '"bonne foi"' 'cré*' \
          'heading:article' 'contrat NOT vente'
      fi
    fi
    rm -rf "$out" "$db"*
  done
done
