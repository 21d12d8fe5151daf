#!/usr/bin/env bash
# `inforce serve` under load, in one run on this machine: throughput, errors and memory (RSS) of the server on a
# real versioned code, each figure printed with the goal it is measured against.
#
#   bash bench/load.sh [CORPUS]      CORPUS defaults to fr-code-civil (from ../shared/corpora)
#
# Needs wrk, nginx, curl and git (Debian: apt-get install wrk nginx-light curl git). DURATION (default 60s) is the
# length of each wrk run; the whole script takes about 5 DURATIONs plus 3 to 6 minutes; SECTIONS="5 6" runs only
# those sections. INFORCE_CACHE_BYTES
# (default 268435456, 256 MiB) is passed to the server and is the cache bound the junk-URL goal is measured against.
# RSS_LIMIT_MIB (default: half the memory available at start, at most 8192) is a safety net, not a goal: a server
# whose RSS passes it is killed, and the run says so, rather than let it take the machine down.
#
#   1. wrk -t2 -c256 on loopback for DURATION, each on a fresh server, RSS sampled every 5 s: (a) one provision
#      page; (b) comparisons of version pairs, page and API, each URL distinct (all ordered pairs, then the same
#      pairs named by effective date) so that every request is a comparison the server has not answered before,
#      as long as the list lasts (the run says how many requests repeated a URL); (c) the search API with words of
#      the code (one word, then two), each query distinct likewise. Errors are non-2xx answers and socket errors.
#   2. Junk URLs: 10,000 requests to /codes/CODE/compare/1900-01-01...9999-12-31?x=N, N = 1..10000 (16 at a time);
#      RSS before, highest and after.
#   3. A 60 MiB document (random bytes behind a PDF signature) stored with `inforce doc add`, then downloaded 64
#      times at once; RSS before, highest (sampled every 0.2 s) and after.
#   4. /healthz latency (100 requests, p50/p99/max), idle, then while 4 loops ask for the blame of a 50,000-word
#      provision rewritten in its second version (a scratch code; each blame at its own date, so none is cached).
#   5. A provision page served by inforce against nginx serving the same page as a static file, wrk -t2 -c64.
#   6. Whole-code comparisons of 50 random version pairs, each asked once of a fresh server (uncached), against
#      `git diff --word-diff=porcelain A B -- .` as a process, in a git repository with one commit per version.
#   7. Slow readers: 200 clients on 127.0.0.1 each downloading the document of section 3 at 3 bytes a second, on
#      a server capped at 200 connections (as many as they are) with a 5 s send timeout; meanwhile a reader on 127.0.0.2 asks /healthz
#      every 0.2 s for 20 s: (a) with the default share per address (an eighth of the cap), (b) with one address
#      allowed the whole cap (as behind a NAT), where only the send timeout frees the site.
#   8. Huge answers: a generated code of HUGE_PROVISIONS (default 207,322) provisions in one version, in its own
#      database; the size of its whole-code answers (contents and the code at a date, page and API), then 32
#      concurrent requests for each of them (curl, 32 at a time, 64 in all), RSS sampled every 0.2 s, against
#      the goal: RSS grows by at most the cache bound plus 256 MiB over the server's RSS with the code loaded.
set -euo pipefail
corpus=${1:-fr-code-civil}
# SECTIONS="5 6" runs only those sections (default: all six).
want() { [[ " ${SECTIONS:-1 2 3 4 5 6 7 8} " == *" $1 "* ]]; }
duration=${DURATION:-60s}
root=$(cd "$(dirname "$0")/.." && pwd)
archive="$root/../shared/corpora/$corpus.tar.xz"
[ -f "$archive" ] || { echo "no corpus at $archive (../shared is not on this machine)"; exit 1; }
for tool in wrk nginx curl git shuf; do
  command -v "$tool" > /dev/null || { echo "$tool is missing (apt-get install wrk nginx-light curl git)"; exit 1; }
done
export INFORCE_CACHE_BYTES=${INFORCE_CACHE_BYTES:-268435456}
# wrk's and curl's many connections all come from 127.0.0.1: as many clients, not one (section 7 sets its own).
export INFORCE_MAX_CONNECTIONS_PER_ADDRESS=${INFORCE_MAX_CONNECTIONS_PER_ADDRESS:-1024}
cache_mib=$((INFORCE_CACHE_BYTES / 1048576))
available_mib=$(awk '/^MemAvailable/ { print int($2 / 1024) }' /proc/meminfo)
limit_mib=${RSS_LIMIT_MIB:-$((available_mib / 2 < 8192 ? available_mib / 2 : 8192))}

work=$(mktemp -d)
server_pid=""
sampler_pid=""
loop_pids=()
cleanup() {
  for p in "${loop_pids[@]}" $sampler_pid $server_pid; do kill "$p" 2> /dev/null || true; done
  [ -f "$work/nginx/nginx.pid" ] && kill "$(cat "$work/nginx/nginx.pid")" 2> /dev/null
  wait 2> /dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

(cd "$root" && cargo build --release -q -p inforce)
bin="$root/target/release/inforce"
export INFORCE_DB="$work/inforce.db" INFORCE_TODAY=2026-11-28 XDG_CACHE_HOME="$work/cache"
tar -xJf "$archive" -C "$work"
src="$work/$corpus"
versions=$(tail -n +2 "$src/versions.tsv" | cut -f1)
dates=$(tail -n +2 "$src/versions.tsv" | cut -f2)
last=$(echo "$versions" | tail -1)
# The page of sections 1 and 5: article 1240 as bench/web.sh asks for it, else a provision of median length.
page_id=1240
[ -f "$src/$last/$page_id.md" ] || page_id=$(find "$src/$last" -name '*.md' -printf '%s %f\n' | sort -n |
  awk '{ f[NR] = $2 } END { m = f[int(NR / 2) + 1]; sub(/\.md$/, "", m); print m }')
page="/codes/$corpus/provisions/$page_id?version=$last"

# ---------------------------------------------------------------------------------------------------------------
# Helpers.

# Starts a fresh server on a free port (it picks one: --addr 127.0.0.1:0) and waits until /healthz and /readyz
# answer; sets $server_pid and $base.
start_server() {
  local log="$work/serve-$1"
  server_log=$log
  "$bin" serve --addr 127.0.0.1:0 > "$log.out" 2> "$log.err" &
  server_pid=$!
  base=""
  for _ in $(seq 1 600); do
    [ -z "$base" ] && base=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$log.out" 2> /dev/null | head -1 || true)
    if [ -n "$base" ] && curl -sf -o /dev/null "$base/healthz" && curl -sf -o /dev/null "$base/readyz"; then return; fi
    kill -0 "$server_pid" 2> /dev/null || break
    sleep 0.1
  done
  echo "the server did not start:"
  cat "$log.err"
  exit 1
}

# Stops the server (SIGTERM, then SIGKILL after 10 s), says so if it was no longer running, and shows the warnings
# and errors it logged (but the one about --public-url).
stop_server() {
  [ -n "$server_pid" ] || return 0
  if ! kill -0 "$server_pid" 2> /dev/null; then
    echo "  !! the server had exited ($(wait "$server_pid" 2> /dev/null && echo "status 0" || echo "status $?"))"
  else
    kill "$server_pid" 2> /dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
    kill -9 "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
  fi
  server_pid=""
  local logged
  logged=$(grep -E 'level=(warn|error)' "$server_log.err" | grep -v 'public.url' || true)
  if [ -n "$logged" ]; then
    echo "  !! the server logged $(echo "$logged" | wc -l) warnings or errors, such as:"
    echo "$logged" | sed 's/^time=[^ ]* //' | sort | uniq -c | sort -rn | awk 'NR <= 3' | cut -c1-200 | sed 's/^/     /'
  fi
}

# The server's resident memory now, in KiB (0 when it is not running).
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$server_pid/status" 2> /dev/null || echo 0; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

# Samples the server's RSS (KiB, one a line) every $1 seconds into $2 until stop_sampler; kills the server when
# it passes the safety limit and writes the sample that did so to $2.killed.
start_sampler() {
  local every=$1 file=$2 pid=$server_pid limit=$((limit_mib * 1024))
  : > "$file"
  rm -f "$file.killed"
  (
    while k=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status" 2> /dev/null) && [ -n "$k" ]; do
      echo "$k" >> "$file"
      if [ "$k" -gt "$limit" ]; then
        kill -9 "$pid"
        echo "$k" > "$file.killed"
        break
      fi
      sleep "$every"
    done
  ) &
  sampler_pid=$!
}
stop_sampler() {
  kill "$sampler_pid" 2> /dev/null || true
  wait "$sampler_pid" 2> /dev/null || true
  sampler_pid=""
}
max_mib() { mib "$(sort -n "$1" | tail -1)"; }
after_text() { if [ "$1" = 0 ]; then echo "- (the server had stopped)"; else echo "$(mib "$1") MiB"; fi; }
watchdog_note() {
  if [ -f "$1.killed" ]; then
    echo "  !! RSS reached $(mib "$(cat "$1.killed")") MiB, past the safety limit of $limit_mib MiB: the server was killed"
  fi
}

# The P-th percentile (nearest rank) of the numbers in a file, and numbers in seconds shown as milliseconds.
pct() { sort -g "$2" | awk -v p="$1" '{ v[NR] = $1 } END { if (NR == 0) { print "nan"; exit } i = int((p * NR + 99) / 100); print v[i < 1 ? 1 : i] }'; }
# "200 x 4124, no answer x 12" from a file of HTTP statuses, one a line (curl writes 000 for no answer).
tally() { sort "$1" | uniq -c | awk '{ printf "%s%s x %s", (NR > 1 ? ", " : ""), ($2 == "000" ? "no answer" : $2), $1 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
# wrk's latencies (850.00us, 1.23ms, 2.05s) in milliseconds.
wrk_ms() { awk -v t="$1" 'BEGIN { v = t + 0; if (t ~ /us$/) v /= 1000; else if (t ~ /ms$/) v += 0; else if (t ~ /m$/) v *= 60000; else if (t ~ /s$/) v *= 1000; printf "%.2f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "inf" }'; }
goal() { if awk "BEGIN { exit !($1) }"; then echo "met"; else echo "NOT met"; fi; }

summary=()
note() { summary+=("$(printf "%-44s %s" "$1" "$2")"); }

# Runs wrk and prints its figures; sets $rps, $p99 (ms), $errors, $last_requests. Arguments: connections, then
# wrk's (URL, -s SCRIPT, -- ARGS).
wrk_run() {
  local connections=$1 out requests sock non2xx
  shift
  out=$(wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency "$@" 2>&1) || true
  rps=$(awk '/^Requests\/sec/ { print $2 }' <<< "$out")
  rps=${rps:-0}
  requests=$(awk '/requests in/ { print $1 }' <<< "$out")
  p99=$(wrk_ms "$(awk '$1 == "99%" { print $2 }' <<< "$out")")
  non2xx=$(awk -F': *' '/Non-2xx/ { print $2 }' <<< "$out")
  sock=$(awk -F': *' '/Socket errors/ { print $2 }' <<< "$out")
  errors=$((${non2xx:-0} + $(echo "${sock:-0}" | grep -o '[0-9]\+' | awk '{ s += $1 } END { print s + 0 }')))
  printf "  %s requests, %s req/s; latency p50 %s ms, p99 %s ms, max %s ms\n" "${requests:-0}" "${rps:-0}" \
    "$(wrk_ms "$(awk '$1 == "50%" { print $2 }' <<< "$out")")" "$p99" \
    "$(wrk_ms "$(awk '$1 == "Latency" && NF == 5 { print $4 }' <<< "$out")")"
  printf "  errors: %s (non-2xx %s; socket errors: %s) (goal 0)\n" "$errors" "${non2xx:-0}" \
    "${sock:-connect 0, read 0, write 0, timeout 0}"
  last_requests=${requests:-0}
}

# ---------------------------------------------------------------------------------------------------------------
# Data: the code, a scratch code with one long provision, a large document, a git repository of the versions.

echo "corpus: $corpus, $(echo "$versions" | wc -l) versions; $(nproc) cores, $available_mib MiB available"
echo "server cache bound INFORCE_CACHE_BYTES=$INFORCE_CACHE_BYTES ($cache_mib MiB); RSS safety limit $limit_mib MiB"
"$bin" import "$src" --code "$corpus" > /dev/null

# Words of the code in force last, for search queries and the long provision.
LC_ALL=C.UTF-8 grep -ohP '\p{L}{3,}' "$src/$last"/*.md | sort -u | shuf --random-source=<(yes) > "$work/words"

# Scratch code: one provision of 50,000 words (paragraphs of 100) in v1; v2 rewrites one word in ten.
long="$work/long"
mkdir -p "$long/v1" "$long/v2"
printf 'version_id\teffective_date\tlabel\nv1\t2000-01-01\tfirst\nv2\t2001-01-01\trewritten\n' > "$long/versions.tsv"
awk 'NR == FNR { w[NR] = $1; n = NR; next }
  END { srand(1); printf "# Article long\n\n"
        for (i = 1; i <= 50000; i++) printf "%s%s", w[int(rand() * n) + 1], (i % 100 == 0 ? "\n\n" : " ") }' \
  "$work/words" /dev/null > "$long/v1/long.md"
awk 'NR <= 2 { print; next }
  { n = split($0, w, " "); out = ""
    for (i = 1; i <= n; i++) out = out (i > 1 ? " " : "") ((NR * 7 + i) % 10 == 0 ? "nouveau" : w[i])
    print out }' "$long/v1/long.md" > "$long/v2/long.md"
"$bin" import "$long" --code long --title "Long provision" > /dev/null

# The document: random bytes behind a PDF signature (documents are checked against their file name).
document_bytes=$((60 * 1048576))
{ printf '%%PDF-1.7\n'; head -c $((document_bytes - 9)) /dev/urandom; } > "$work/load.pdf"
"$bin" doc add "$work/load.pdf" --title "Load benchmark file" --id load-bench > /dev/null

# Git: one commit per version folder (each folder is the work tree of its own commit).
repo="$work/git"
git init -q "$repo"
start=$EPOCHREALTIME
for v in $versions; do
  git --git-dir="$repo/.git" --work-tree="$src/$v" add -A
  git -C "$repo" -c user.name=bench -c user.email=bench@example.org -c commit.gpgsign=false \
    commit -q --allow-empty -m "$v"
  git -C "$repo" tag "$v"
done
echo "git repository: $(echo "$versions" | wc -l) commits in $(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }') s"

# Every ordered pair of versions, shuffled, as comparison URLs: page and API alternately, then each pair in the
# other form, then both again with the versions named by their effective dates. No two lines are the same URL.
paste <(echo "$versions") <(echo "$dates") > "$work/vd"
awk 'NR == FNR { v[NR] = $1; d[NR] = $2; n = NR; next }
  END { for (i = 1; i <= n; i++) for (j = 1; j <= n; j++) if (i != j) print v[i] "..." v[j], d[i] "..." d[j] }' \
  "$work/vd" /dev/null | shuf --random-source=<(yes) > "$work/pairs"
awk -v code="$corpus" '{ id[NR] = $1; date[NR] = $2 }
  END { page = "/codes/" code "/compare/"; api = "/api/v1/" code "/compare/"
        for (pass = 0; pass < 4; pass++) for (i = 1; i <= NR; i++)
          print ((i + pass) % 2 ? page : api) (pass < 2 ? id[i] : date[i]) }' "$work/pairs" > "$work/compare-urls"
# Search queries: every word once, then two-word queries (both words must match), enough that none repeats
# while the server answers ten thousand a second for a minute; as search API paths, percent-encoded.
awk 'NR == FNR { w[NR] = $1; n = NR; print; next }
  END { srand(2); m = n * (n - 1) / 2; if (m > 1000000) m = 1000000; while (k < m) { a = w[int(rand() * n) + 1]; b = w[int(rand() * n) + 1]
        if (a != b && !((a " " b) in seen)) { seen[a " " b]; print a " " b; k++ } } }' "$work/words" /dev/null |
  LC_ALL=C awk -v prefix="/api/v1/$corpus/search?q=" 'BEGIN { for (i = 0; i < 256; i++) byte[sprintf("%c", i)] = i }
    { out = ""; for (i = 1; i <= length($0); i++) { c = substr($0, i, 1); out = out (c ~ /[A-Za-z0-9._~-]/ ? c : sprintf("%%%02X", byte[c])) }
      print prefix out }' > "$work/queries"

# wrk: each thread walks its own stripe of a list of paths (thread k asks for lines k, k+2, k+4, ...), so no path is
# asked twice until the list runs out. Arguments: the list, the number of threads.
cat > "$work/list.lua" << 'LUA'
local paths, n, i, step = {}, 0, 0, 1
threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end
function init(args)
  step = tonumber(args[2])
  for line in io.lines(args[1]) do
    n = n + 1
    paths[n] = line
  end
  i = first
end
function request()
  local path = paths[i % n + 1]
  i = i + step
  return wrk.format("GET", path)
end
LUA

# ---------------------------------------------------------------------------------------------------------------
if want 1; then
echo
echo "== 1. wrk -t2 -c256 -d$duration on loopback (timeout 30 s), a fresh server each, RSS sampled every 5 s"
# load LABEL WHAT LIST_SIZE PATH [-s SCRIPT -- ARGS]: one wrk run on a fresh server. LIST_SIZE is the number of
# distinct paths the script walks (0 without a list).
load() {
  local label=$1 what=$2 list_size=$3 path=$4
  shift 4
  start_server "1$label"
  start_sampler 5 "$work/rss"
  wrk_run 256 "$base$path" "$@"
  stop_sampler
  printf "  RSS every 5 s from the start (MiB): %s\n" "$(while read -r k; do printf "%s " "$(mib "$k")"; done < "$work/rss")"
  printf "  RSS max %s MiB\n" "$(max_mib "$work/rss")"
  watchdog_note "$work/rss"
  if [ "$list_size" -gt 0 ] && [ "$last_requests" -gt "$list_size" ]; then
    echo "  note: the $list_size distinct URLs ran out: $((last_requests - list_size)) requests repeated a URL (cached answers)"
  fi
  note "1$label $what" "$rps req/s, $errors errors (goal 0: $(goal "$errors == 0")), RSS max $(max_mib "$work/rss") MiB"
  stop_server
}
echo "(a) provision page $page"
load a "provision page" 0 "$page"
echo "(b) comparisons of version pairs, page and API alternately, $(wc -l < "$work/compare-urls") distinct URLs"
load b "comparisons" "$(wc -l < "$work/compare-urls")" / -s "$work/list.lua" -- "$work/compare-urls" 2
echo "(c) search API /api/v1/$corpus/search?q=..., $(wc -l < "$work/queries") distinct queries ($(wc -l < "$work/words") words, then pairs of words)"
load c "search API" "$(wc -l < "$work/queries")" / -s "$work/list.lua" -- "$work/queries" 2

fi
# ---------------------------------------------------------------------------------------------------------------
if want 2; then
echo
echo "== 2. junk URLs: 10,000 requests to /codes/$corpus/compare/1900-01-01...9999-12-31?x=N (16 at a time), a fresh server"
start_server 2
for n in $(seq 1 10000); do
  printf 'url = "%s/codes/%s/compare/1900-01-01...9999-12-31?x=%d"\noutput = "/dev/null"\n' "$base" "$corpus" "$n"
done > "$work/junk.curl"
before=$(rss_kib)
start_sampler 1 "$work/rss"
start=$EPOCHREALTIME
# (curl --parallel shows its progress meter even with -s: what it says on standard error is set aside.)
curl -s --globoff --parallel --parallel-immediate --parallel-max 16 -K "$work/junk.curl" -w '%{http_code}\n' \
  > "$work/junk.codes" 2> "$work/curl.err" || true
seconds=$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }')
after=$(rss_kib)
stop_sampler
junk_max=$(max_mib "$work/rss")
echo "  answers: $(tally "$work/junk.codes") in $seconds s"
echo "  RSS before $(mib "$before") MiB, max $junk_max MiB, after $(after_text "$after")" \
  "(goal: at most $((cache_mib + 100)) MiB, the cache bound plus 100 MiB: $(goal "$junk_max <= $cache_mib + 100"))"
watchdog_note "$work/rss"
answered=$(grep -c '^200$' "$work/junk.codes" || true)
[ "$answered" -gt 0 ] && echo "  about $(awk -v a="$(sort -n "$work/rss" | tail -1)" -v b="$before" -v n="$answered" 'BEGIN { printf "%.0f", (a - b) / n }') KiB of RSS per answered request ($answered answered 200)"
note "2 junk URLs RSS max" "$junk_max MiB (goal <= $((cache_mib + 100)): $(goal "$junk_max <= $cache_mib + 100")); $(tally "$work/junk.codes")"
stop_server

fi
# ---------------------------------------------------------------------------------------------------------------
if want 3; then
echo
echo "== 3. downloads: a $((document_bytes / 1048576)) MiB document, 64 downloads at once, RSS sampled every 0.2 s, a fresh server"
start_server 3
for n in $(seq 1 64); do
  printf 'url = "%s/documents/load-bench/load.pdf"\noutput = "/dev/null"\n' "$base"
done > "$work/downloads.curl"
before=$(rss_kib)
start_sampler 0.2 "$work/rss"
start=$EPOCHREALTIME
curl -s --parallel --parallel-immediate --parallel-max 64 -K "$work/downloads.curl" \
  -w '%{http_code} %{size_download} %{time_total}\n' > "$work/downloads" 2> "$work/curl.err" || true
seconds=$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }')
after=$(rss_kib)
stop_sampler
complete=$(awk -v size="$document_bytes" '$1 == 200 && $2 == size' "$work/downloads" | wc -l)
awk '{ print $3 }' "$work/downloads" > "$work/download-times"
echo "  complete (200, every byte): $complete of 64; answers: $(tally <(awk '{ print $1 }' "$work/downloads"))"
echo "  all done in $seconds s ($(awk -v b="$(awk '{ s += $2 } END { print s }' "$work/downloads")" -v s="$seconds" 'BEGIN { printf "%.0f", b / s / 1048576 }') MiB/s); each download p50 $(ms "$(pct 50 "$work/download-times")") ms, max $(ms "$(pct 100 "$work/download-times")") ms"
echo "  RSS before $(mib "$before") MiB, max $(max_mib "$work/rss") MiB ($(wc -l < "$work/rss") samples), after $(after_text "$after")"
watchdog_note "$work/rss"
note "3 64 downloads of 60 MiB" "$complete of 64 complete, RSS before $(mib "$before") MiB, max $(max_mib "$work/rss") MiB, after $(after_text "$after")"
stop_server

fi
# ---------------------------------------------------------------------------------------------------------------
if want 4; then
echo
echo "== 4. /healthz latency, 100 requests one after another (0.1 s apart), a fresh server"
start_server 4
# healthz FILE LABEL: 100 requests, their times in FILE.
healthz() {
  for _ in $(seq 1 100); do
    curl -s -o /dev/null --max-time 60 -w '%{http_code} %{time_total}\n' "$base/healthz" || true
    sleep 0.1
  done > "$1.answers"
  awk '{ print $2 }' "$1.answers" > "$1"
  printf "  %-58s p50 %7s ms, p99 %7s ms, max %7s ms (%s)\n" "$2" "$(ms "$(pct 50 "$1")")" "$(ms "$(pct 99 "$1")")" \
    "$(ms "$(pct 100 "$1")")" "$(tally <(awk '{ print $1 }' "$1.answers"))"
}
healthz "$work/healthz-idle" "idle:"
blame_ms=$(ms "$(curl -s -o /dev/null -w '%{time_total}' "$base/codes/long/provisions/long/blame?at=2001-01-01")")
# Each loop asks for the blame at its own dates (loop k: 2001-01-01 + k, k + 4, ... days): never a cached answer.
rm -f "$work/stop"
for k in 1 2 3 4; do
  (
    day=$k
    while [ ! -e "$work/stop" ]; do
      curl -s -o /dev/null --max-time 120 -w '%{http_code} %{time_total}\n' \
        "$base/codes/long/provisions/long/blame?at=$(date -u -d "2001-01-01 + $day days" +%F)" || true
      day=$((day + 4))
    done > "$work/blames-$k"
  ) &
  loop_pids+=($!)
done
sleep 1
healthz "$work/healthz-blame" "while 4 loops ask for blames of the 50,000-word provision:"
touch "$work/stop"
wait "${loop_pids[@]}" 2> /dev/null || true
loop_pids=()
cat "$work"/blames-* > "$work/blames"
awk '{ print $2 }' "$work/blames" > "$work/blame-times"
echo "  blames: one alone $blame_ms ms; under load $(wc -l < "$work/blames") answered ($(tally <(awk '{ print $1 }' "$work/blames"))), p50 $(ms "$(pct 50 "$work/blame-times")") ms"
note "4 /healthz during blames" "p50 $(ms "$(pct 50 "$work/healthz-blame")") ms, p99 $(ms "$(pct 99 "$work/healthz-blame")") ms, max $(ms "$(pct 100 "$work/healthz-blame")") ms (idle p99 $(ms "$(pct 99 "$work/healthz-idle")") ms)"
stop_server

fi
# ---------------------------------------------------------------------------------------------------------------
if want 5; then
echo
echo "== 5. provision page: inforce against nginx serving the same page as a static file, wrk -t2 -c64 -d$duration"
start_server 5
mkdir -p "$work/static" "$work/nginx"
curl -sf "$base$page" > "$work/static/page.html" || { echo "inforce did not answer $page"; exit 1; }
nginx_port=""
for _ in $(seq 1 100); do
  p=$((20000 + RANDOM % 40000))
  if ! (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null; then nginx_port=$p; break; fi
done
[ -n "$nginx_port" ] || { echo "no free port for nginx"; exit 1; }
nginx_conf="$work/nginx/nginx.conf"
cat > "$nginx_conf" << CONF
$([ "$(id -u)" = 0 ] && echo "user root;")
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/static; location / { default_type text/html; } }
}
CONF
nginx -e "$work/nginx/error.log" -p "$work/nginx" -c "$nginx_conf"
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/page.html" && break; sleep 0.1; done
curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/page.html" || { echo "nginx does not serve the page"; cat "$work/nginx/error.log"; exit 1; }
echo "nginx: the same page as a static file ($(wc -c < "$work/static/page.html") bytes)"
wrk_run 64 "http://127.0.0.1:$nginx_port/page.html"
nginx_rps=$rps nginx_p99=$p99
echo "inforce: $page"
wrk_run 64 "$base$page"
echo "  inforce/nginx throughput: $(ratio "$rps" "$nginx_rps") (goal >= 1.0: $(goal "$rps >= $nginx_rps")); inforce p99 $p99 ms (goal < 5 ms: $(goal "$p99 < 5")); nginx p99 $nginx_p99 ms"
note "5 provision page against nginx" "$(ratio "$rps" "$nginx_rps") of nginx's req/s (goal >= 1.0: $(goal "$rps >= $nginx_rps")), p99 $p99 ms (goal < 5: $(goal "$p99 < 5"))"
kill "$(cat "$work/nginx/nginx.pid")"
for _ in $(seq 1 50); do [ -f "$work/nginx/nginx.pid" ] || break; sleep 0.1; done
stop_server

fi
# ---------------------------------------------------------------------------------------------------------------
if want 6; then
echo
echo "== 6. whole-code comparison of 50 random version pairs, each asked once of a fresh server, against git diff"
start_server 6
# The pairs (earlier...later), drawn once; a pair outside them warms the server and git first.
awk 'NR == FNR { v[NR] = $1; n = NR; next } END { for (i = 1; i < n; i++) for (j = i + 1; j <= n; j++) print v[i], v[j] }' \
  <(echo "$versions") /dev/null | shuf -n 51 --random-source=<(yes compare) > "$work/sample"
read -r a b < "$work/sample"
curl -s -o /dev/null "$base/codes/$corpus/compare/$a...$b"
git -C "$repo" diff --word-diff=porcelain "$a" "$b" -- . > /dev/null
: > "$work/git-times"
: > "$work/http-times"
tail -n +2 "$work/sample" | while read -r a b; do
  start=$EPOCHREALTIME
  git -C "$repo" diff --word-diff=porcelain "$a" "$b" -- . > /dev/null
  awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { print e - s }' >> "$work/git-times"
  curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$base/codes/$corpus/compare/$a...$b" >> "$work/http-times"
done
if awk '$1 != 200 { bad = 1 } END { exit !bad }' "$work/http-times"; then
  echo "  !! not every comparison answered 200: $(tally <(awk '{ print $1 }' "$work/http-times"))"
fi
awk '{ print $2 }' "$work/http-times" > "$work/http-seconds"
git_p50=$(ms "$(pct 50 "$work/git-times")")
http_p50=$(ms "$(pct 50 "$work/http-seconds")")
echo "  git diff --word-diff=porcelain A B -- . (a process each): p50 $git_p50 ms, max $(ms "$(pct 100 "$work/git-times")") ms"
echo "  inforce /codes/$corpus/compare/A...B (uncached, HTTP):    p50 $http_p50 ms, max $(ms "$(pct 100 "$work/http-seconds")") ms"
echo "  inforce is $(ratio "$git_p50" "$http_p50")x faster than git at the median (goal >= 3x: $(goal "$git_p50 >= 3 * $http_p50"))"
note "6 uncached comparison against git diff" "$(ratio "$git_p50" "$http_p50")x faster at p50 (goal >= 3: $(goal "$git_p50 >= 3 * $http_p50"))"
stop_server

fi
# ---------------------------------------------------------------------------------------------------------------
if want 7; then
echo
echo "== 7. slow readers: 200 downloads at 3 bytes/s from 127.0.0.1; /healthz from 127.0.0.2 every 0.2 s for 20 s"
# slow LABEL SHARE: one run on a fresh server capped at 200 connections, 5 s send timeout, SHARE per address.
slow() {
  local label=$1 share=$2 pids=()
  INFORCE_MAX_CONNECTIONS=200 INFORCE_SEND_TIMEOUT=5 INFORCE_MAX_CONNECTIONS_PER_ADDRESS=$share start_server "7$label"
  for _ in $(seq 1 200); do
    curl -s -o /dev/null --limit-rate 3 --max-time 60 "$base/documents/load-bench/load.pdf" &
    pids+=($!)
  done
  sleep 1
  : > "$work/slow-codes"
  local start=$EPOCHREALTIME first=""
  for _ in $(seq 1 100); do
    code=$(curl -s -o /dev/null --interface 127.0.0.2 --max-time 2 -w '%{http_code}' "$base/healthz" || true)
    echo "$code" >> "$work/slow-codes"
    [ -z "$first" ] && [ "$code" = 200 ] && first=$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }')
    sleep 0.2
  done
  kill "${pids[@]}" 2> /dev/null || true
  wait "${pids[@]}" 2> /dev/null || true
  local ok
  ok=$(grep -c '^200$' "$work/slow-codes" || true)
  echo "  ($label) share $share per address: /healthz answers $(tally "$work/slow-codes"); first 200 after ${first:-never} s"
  note "7$label slow readers, share $share" "$ok of 100 /healthz answered 200, first after ${first:-never} s"
  stop_server
}
slow a 25
slow b 200
echo "  goal: (a) every /healthz answered; (b) answered again within the send timeout (5 s) plus a second"

fi
# ---------------------------------------------------------------------------------------------------------------
if want 8; then
echo
huge_n=${HUGE_PROVISIONS:-207322}
echo "== 8. huge answers: a generated code of $huge_n provisions, 32 concurrent requests for each whole-code answer"
huge="$work/huge"
mkdir -p "$huge/v1"
printf 'version_id\teffective_date\tlabel\nv1\t2020-01-01\tfirst\n' > "$huge/versions.tsv"
# Forty words of the corpus a provision, drawn with a fixed seed.
awk -v n="$huge_n" -v dir="$huge/v1" 'NR == FNR { w[NR] = $1; m = NR; next }
  END { srand(8); for (i = 1; i <= n; i++) { t = ""; for (j = 0; j < 40; j++) t = t (j ? " " : "") w[int(rand() * m) + 1]
        printf "# Article H%d\n\n%s\n", i, t > (dir "/H" i ".md"); close(dir "/H" i ".md") } }' "$work/words" /dev/null
start=$EPOCHREALTIME
INFORCE_DB="$work/huge.db" "$bin" import "$huge" --code huge --title "Huge code" > /dev/null
echo "  imported in $(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }') s"
INFORCE_DB="$work/huge.db" INFORCE_REQUEST_TIMEOUT=120 start_server 8
huge_paths="/codes/huge/contents /api/v1/huge/contents /codes/huge/at/2021-01-01 /api/v1/huge/at/2021-01-01"
# Each answer once, which also builds what the server keeps for the code after its first answers (RSS before
# counts it: it is the code's, not the requests').
for p in $huge_paths; do
  curl -s -o /dev/null --max-time 120 -w "  %{http_code} %{size_download} bytes in %{time_total} s  $p\n" "$base$p"
done
for n in $(seq 1 16); do for p in $huge_paths; do
  printf 'url = "%s%s?n=%d"\noutput = "/dev/null"\n' "$base" "$p" "$n"
done; done > "$work/huge.curl"
before=$(rss_kib)
start_sampler 0.2 "$work/rss"
start=$EPOCHREALTIME
curl -s --globoff --parallel --parallel-immediate --parallel-max 32 --max-time 300 -K "$work/huge.curl" \
  -w '%{http_code}\n' > "$work/huge.codes" 2> "$work/curl.err" || true
seconds=$(awk -v s="$start" -v e="$EPOCHREALTIME" 'BEGIN { printf "%.1f", e - s }')
after=$(rss_kib)
stop_sampler
huge_max=$(max_mib "$work/rss")
huge_growth=$((huge_max - $(mib "$before")))
echo "  answers: $(tally "$work/huge.codes") in $seconds s"
echo "  RSS before $(mib "$before") MiB (the code loaded and each answer drawn once), max $huge_max MiB, after $(after_text "$after");" \
  "growth $huge_growth MiB (goal: at most $((cache_mib + 256)) MiB, the cache bound plus 256 MiB: $(goal "$huge_growth <= $cache_mib + 256"))"
watchdog_note "$work/rss"
note "8 32 concurrent huge answers RSS growth" "$huge_growth MiB (goal <= $((cache_mib + 256)): $(goal "$huge_growth <= $cache_mib + 256")); $(tally "$work/huge.codes")"
stop_server

fi
echo
echo "== summary (DURATION=$duration)"
printf '  %s\n' "${summary[@]}"
