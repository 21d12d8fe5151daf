#!/usr/bin/env bash
# Mutation testing of the rules: cargo-mutants plants one small bug at a time (a changed operator, a constant
# answer, a deleted branch) and runs the tests; a mutant the tests do not catch is a rule no test guards.
#
#   bash bench/mutants.sh [core|store|formats|all] [--budget MINUTES] [--shard K/N] [--in-diff FILE]
#
# core     every file of inforce-core, tested by its own tests
# formats  the rule-bearing files of inforce-formats (register files, packs, the kept register, folders, Word documents)
# store    the rule-bearing files of inforce-store (publishing, imports, copies, the log), tested by its own unit tests
#          and through the SQLite backend, which runs the conformance suite
# all      the three, one after the other (default)
#
# Prints caught / missed / unviable / timed out per file, then the missed mutants one per line; the whole report
# of each run stays in target/mutants-<part>/mutants.out. A mutant that cannot change behaviour is marked in the
# code with #[mutants::skip] and a comment saying why, never skipped here. Needs cargo-mutants
# (cargo install cargo-mutants --locked).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
part=all
budget=60
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    core|store|formats|all) part=$1 ;;
    --budget) budget=$2; shift ;;
    --shard) extra+=(--shard "$2"); shift ;;
    --in-diff) extra+=(--in-diff "$2"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
command -v cargo-mutants > /dev/null || { echo "cargo-mutants is missing: cargo install cargo-mutants --locked" >&2; exit 1; }
jobs=$(nproc)
# A mutant can make a loop allocate without end; cap each process's address space so that such a mutant fails
# (and counts as caught) instead of taking the machine's memory. 8 GiB each leaves room for the builds.
ulimit -v $((8 * 1024 * 1024))
# A property test that catches a mutant would otherwise spend up to the timeout shrinking its counterexample:
# the mutant is caught at the first failing case, so no shrinking is needed.
export PROPTEST_MAX_SHRINK_ITERS=0

run() {
  local name=$1; shift
  local out="target/mutants-$name"
  rm -rf "$out"
  echo "== $name (budget ${budget} min, $jobs jobs)"
  # Each mutant's tests are given a minute (they take a second unmutated); the whole run the budget. A run cut
  # by the budget says so below.
  timeout "$((budget * 60))" cargo mutants --no-shuffle -j "$jobs" --timeout 60 --output "$out" "${extra[@]}" "$@" \
    > "$out.log" 2>&1 || true
  tail -n 1 "$out.log"
  report "$out/mutants.out/outcomes.json"
}

# Per file: caught, missed, unviable, timed out; then each missed mutant.
report() {
  local outcomes=$1
  [ -f "$outcomes" ] || { echo "no outcomes written (see the log beside it)"; return; }
  python3 - "$outcomes" <<'PY'
import collections, json, sys
data = json.load(open(sys.argv[1]))
rows = collections.defaultdict(collections.Counter)
missed = []
for o in data.get("outcomes", []):
    scenario = o.get("scenario")
    if not isinstance(scenario, dict) or "Mutant" not in scenario:
        continue
    mutant = scenario["Mutant"]
    name = mutant.get("name") or mutant.get("description") or "?"
    path = mutant.get("file") or name.split(":")[0]
    summary = o.get("summary", "?")
    kind = {"CaughtMutant": "caught", "MissedMutant": "missed", "Unviable": "unviable", "Timeout": "timeout"}.get(summary, summary)
    rows[path][kind] += 1
    if kind == "missed":
        missed.append(name)
total = collections.Counter()
print(f"{'file':<48} {'caught':>6} {'missed':>6} {'unviable':>8} {'timeout':>7}")
for path in sorted(rows):
    c = rows[path]
    total.update(c)
    print(f"{path:<48} {c['caught']:>6} {c['missed']:>6} {c['unviable']:>8} {c['timeout']:>7}")
viable = total["caught"] + total["missed"] + total["timeout"]
share = 100.0 * total["caught"] / viable if viable else 0.0
print(f"{'all':<48} {total['caught']:>6} {total['missed']:>6} {total['unviable']:>8} {total['timeout']:>7}   caught {share:.1f} % of viable")
for name in missed:
    print(f"missed: {name}")
PY
}

# validate.rs holds the register rules, whose tests are the register-file tests of inforce-formats (each problem
# with its line); its mutants run those too.
case $part in core|all)
  run core -p inforce-core -e 'crates/core/src/validate.rs' -e 'crates/core/src/replay_tests.rs' -e 'crates/core/src/testing.rs'
  run core-validate -p inforce-core --test-package inforce-core --test-package inforce-formats -f 'crates/core/src/validate.rs' ;;
esac
case $part in formats|all)
  # The Word reader's tests read ../shared/docx, which the copy of the tree cargo-mutants tests in does not have
  # beside it: name it, and make its absence a failure rather than a skip (a skipped test catches nothing).
  export INFORCE_DOCX_DATA="$root/../shared/docx" INFORCE_REQUIRE_DOCX=1
  run formats -p inforce-formats -f 'crates/formats/src/register_file.rs' -f 'crates/formats/src/register_file/*.rs' \
    -f 'crates/formats/src/pack.rs' -f 'crates/formats/src/kept.rs' -f 'crates/formats/src/folder.rs' \
    -f 'crates/formats/src/docx.rs' -f 'crates/formats/src/docx/*.rs' ;;
esac
case $part in store|all)
  run store -p inforce-store --test-package inforce-store --test-package inforce-store-sqlite -f 'crates/store/src/registry.rs' \
    -f 'crates/store/src/import.rs' -f 'crates/store/src/copy.rs' -f 'crates/store/src/sql.rs' \
    -f 'crates/store/src/log.rs' ;;
esac
