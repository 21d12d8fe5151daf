#!/usr/bin/env bash
# Word Sections in: reading each SEC-like document and a generated Section of 2,000 clauses in process
# (crates/formats/benches/docx.rs), then the whole `inforce import-docx` command (open the database, read the
# documents, join them to the register, publish, grow the search index) into a new code and into a copy of the
# built-in SEC register; the slowest real-world file through `docx-changes` and `import-docx`; and hostile
# documents (a list counter of 2,147,483,647 in letters, a level text of 20,000 `%2`, tables nested 10,000 deep,
# changes nested 60,000 deep), each refused: its time and peak memory (RSS, by GNU time).
#
#   bash bench/docx.sh
#
# Needs hyperfine (apt-get install hyperfine) and ../shared/docx.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
docs="$root/../shared/docx"
[ -d "$docs" ] || { echo "no Word test data at $docs (../shared is not on this machine)"; exit 1; }
command -v hyperfine > /dev/null || { echo "hyperfine is missing (apt-get install hyperfine)"; exit 1; }
cd "$root"
command -v /usr/bin/time > /dev/null || { echo "GNU time is missing (apt-get install time)"; exit 1; }
cargo build --release -q -p inforce
cargo bench -q -p inforce-formats --bench docx
bin="$root/target/release/inforce"
generated="$root/target/bench-docx/D-2000.docx"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# A database holding the built-in SEC register, copied before every run.
INFORCE_DB="$work/base.db" "$bin" codes > /dev/null
fresh="cp $work/base.db $work/run.db && rm -f $work/run.db-wal $work/run.db-shm && rm -rf $work/cache"
export XDG_CACHE_HOME="$work/cache"
sec="$docs/sec-like"
hyperfine --warmup 2 --runs 15 --prepare "$fresh" \
  -n "three SEC-like Sections (D, A, X: 29 clauses) into a new code" \
  "INFORCE_DB=$work/run.db $bin --code bench import-docx $sec/D-v1.docx $sec/A-v1.docx $sec/X-v1.docx --version 1 --effective 2025-01-06" \
  -n "the conformed copy (tracked changes accepted) into a new code" \
  "INFORCE_DB=$work/run.db $bin --code bench import-docx $sec/D-v2-conformed.docx --tracked accept --version 1 --effective 2025-01-06" \
  -n "a generated Section of 2,000 clauses into a new code" \
  "INFORCE_DB=$work/run.db $bin --code bench import-docx $generated --version 1 --effective 2025-01-06" \
  -n "a generated Section of 2,000 clauses into the SEC register (version 64.0, --missing keep)" \
  "INFORCE_DB=$work/run.db $bin --code sec import-docx $generated --version 64.0 --effective 2027-06-01 --missing keep" \
  -n "inforce codes (opening the database: the floor under every command)" \
  "INFORCE_DB=$work/run.db $bin codes"

# Every real-world file through docx-changes and import-docx: the slowest of each.
slowest() {
  local worst=0 worst_file=""
  for file in "$docs"/realworld/*/*.docx; do
    eval "$fresh"
    local start end took
    start=$(date +%s%N)
    INFORCE_DB="$work/run.db" "$bin" "$@" "$file" > /dev/null 2>&1 || true
    end=$(date +%s%N)
    took=$(( (end - start) / 1000000 ))
    if [ "$took" -gt "$worst" ]; then worst=$took; worst_file=$file; fi
  done
  echo "$* (each of $(ls "$docs"/realworld/*/*.docx | wc -l) real-world files): slowest ${worst} ms ($(basename "$worst_file"))"
}
slowest docx-changes
slowest --code realworld import-docx --version 1 --effective 2025-01-06

# Hostile documents, made from D-v1 by rewriting one member: each must be refused (exit 2), in bounded time and
# memory.
hostile() {
  local name=$1 member=$2 edit=$3
  python3 - "$sec/D-v1.docx" "$work/$name.docx" "$member" "$edit" << 'PY'
import sys, zipfile
source, target, member, edit = sys.argv[1:]
deep = lambda open_, close, n: open_ * n + "<w:p/>" + close * n
edits = {
    "counter": lambda x: x.replace('<w:start w:val="1"/>', '<w:start w:val="2147483647"/>', 1),
    "template": lambda x: x.replace('w:val="D%1.%2"', 'w:val="' + "%2" * 20000 + '"', 1),
    "tables": lambda x: x.replace("<w:body>", "<w:body>" + deep("<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>", 10000), 1),
    "changes": lambda x: x.replace("<w:body>", "<w:body><w:p>" + '<w:ins w:id="1" w:author="A">' * 60000 + "</w:ins>" * 60000 + "</w:p>", 1),
}
# Stored, not deflated: the reader's limits are measured, not the package's inflation ratio.
with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as zout:
    for item in zin.infolist():
        data = zin.read(item.filename)
        if item.filename == member:
            data = edits[edit](data.decode()).encode()
        item.compress_type = zipfile.ZIP_STORED
        zout.writestr(item, data)
PY
  eval "$fresh"
  local status=0
  INFORCE_DB="$work/run.db" /usr/bin/time -f "%e %M" -o "$work/time" "$bin" --code hostile import-docx \
    "$work/$name.docx" --version 1 --effective 2025-01-06 > /dev/null 2> "$work/err" || status=$?
  read -r seconds kib < <(tail -1 "$work/time")
  echo "hostile $name: exit $status in $seconds s, peak RSS $((kib / 1024)) MiB: $(sed 's/^inforce: [^:]*: //' "$work/err" | cut -c1-110)"
}
hostile counter word/numbering.xml counter
hostile template word/numbering.xml template
hostile tables word/document.xml tables
hostile changes word/document.xml changes
