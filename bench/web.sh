#!/usr/bin/env bash
# Throughput and latency of `inforce serve` with wrk (64 connections, 2 threads), against nginx serving the same
# provision page as a static file, in one run on this machine.
#
#   bash bench/web.sh            needs wrk and nginx (Debian: apt-get install wrk nginx-light); DURATION=30s
#
# Pages: a provision page, the versions page and a comparison, on the built-in SEC register and, when
# ../shared/corpora is present, on the French civil code imported from it.
set -euo pipefail
duration=${DURATION:-30s}
root=$(cd "$(dirname "$0")/.." && pwd)
for tool in wrk nginx curl; do
  command -v "$tool" > /dev/null || { echo "$tool is missing (apt-get install wrk nginx-light curl)"; exit 1; }
done
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
(cd "$root" && cargo build --release -q -p inforce)
bin="$root/target/release/inforce"
export INFORCE_DB="$work/inforce.db"
# wrk's connections all come from 127.0.0.1: as many clients, not one.
export INFORCE_MAX_CONNECTIONS_PER_ADDRESS=${INFORCE_MAX_CONNECTIONS_PER_ADDRESS:-1024}
corpus="$root/../shared/corpora/fr-code-civil.tar.xz"
if [ -f "$corpus" ]; then
  tar -xJf "$corpus" -C "$work"
  "$bin" import "$work/fr-code-civil" --code fr-code-civil > /dev/null
fi
"$bin" serve --addr 127.0.0.1:18431 > "$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf http://127.0.0.1:18431/healthz > /dev/null && break; sleep 0.1; done

# nginx serving the SEC provision page as a static file.
mkdir -p "$work/static" "$work/nginx"
curl -sf "http://127.0.0.1:18431/provisions/H15?version=4.1" > "$work/static/h15.html"
cat > "$work/nginx/nginx.conf" << CONF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:18432; root $work/static; location / { default_type text/html; } }
}
CONF
nginx -c "$work/nginx/nginx.conf"
pids+=($(cat "$work/nginx/nginx.pid" 2> /dev/null || echo 0))

run() {
  local label=$1 url=$2
  local out
  out=$(wrk -t2 -c64 -d"$duration" --latency "$url")
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  printf "%-58s %10s req/s   p99 %8s\n" "$label" "$rps" "$p99"
  echo "$rps" > "$work/last_rps"
}

echo "wrk -t2 -c64 -d$duration on $(nproc) cores"
run "nginx: static copy of the SEC H15 page" "http://127.0.0.1:18432/h15.html"
nginx_rps=$(cat "$work/last_rps")
run "inforce: SEC provision page /provisions/H15?version=4.1" "http://127.0.0.1:18431/provisions/H15?version=4.1"
ours=$(cat "$work/last_rps")
awk -v a="$ours" -v b="$nginx_rps" 'BEGIN { printf "  provision page throughput: %.2f of nginx (goal >= 0.7)\n", a / b }'
run "inforce: SEC versions page /versions" "http://127.0.0.1:18431/versions"
run "inforce: SEC comparison /compare/4.0...4.1" "http://127.0.0.1:18431/compare/4.0...4.1"
if [ -f "$corpus" ]; then
  run "inforce: Code civil provision /provisions/1240?version=v071" "http://127.0.0.1:18431/codes/fr-code-civil/provisions/1240?version=v071"
  run "inforce: Code civil versions page" "http://127.0.0.1:18431/codes/fr-code-civil/versions"
  run "inforce: Code civil comparison v070...v071" "http://127.0.0.1:18431/codes/fr-code-civil/compare/v070...v071"
fi
nginx -c "$work/nginx/nginx.conf" -s stop 2> /dev/null || true
