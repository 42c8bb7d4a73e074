#!/usr/bin/env bash
# Throughput against the number of connections (issue 15: "c20 at least as fast as c4"): the authenticated
# open-campaign list (page of 20) of the project (npm start, NODE_ENV=production) on the Django peer's 10,000 campaigns,
# on SQLite and on PostgreSQL, with wrk at 4 and at 20 connections, alternating within each round so both figures of a
# round share the machine's state. wrk is a C client: unlike autocannon in a node process it needs little of the
# two cores, so the figure is the server's. Prints req/s and p99 at each and the ratio c20/c4 per round.
#   bash bench/connections.sh [ROUNDS] [SECONDS]     (defaults 3 8; run on a quiet machine)
# PEERS_DIR (default ../shared/peers): the Django peer's data is made there as bench-three.sh makes it (PEER_DATA).
# PG_URL (default postgresql://postgres@127.0.0.1:5432): a throwaway database is created there and dropped.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS_DIR:-$root/../shared/peers}
rounds=${1:-3} secs=${2:-8}
pg=${PG_URL:-postgresql://postgres@127.0.0.1:5432}
export PEER_DATA=${PEER_DATA:-${TMPDIR:-/tmp}/collabhub-peers}
[ -f "$PEER_DATA/db.sqlite3" ] || bash "$peers/drf/setup.sh" >/dev/null
command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null
work=$(mktemp -d) pgdb="bench_conn_$$" server=""
cleanup() {
  [ -z "$server" ] || kill -- -"$server" 2>/dev/null || true
  psql -q "$pg/postgres" -c "DROP DATABASE IF EXISTS $pgdb" >/dev/null 2>&1 || true
  rm -rf "$work" "$root/bench-peer-seed.ts"
}
trap cleanup EXIT
(cd "$root" && npm run build >/dev/null)
cp "$peers/project/seed-from-drf.ts" "$root/bench-peer-seed.ts"
secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')

load() { # connections token -> "req/s p99"
  wrk -t1 -c"$1" -d"${secs}s" --latency -H "Authorization: Bearer $2" "http://127.0.0.1:$port/apis/campaign/" |
    awk '/Requests\/sec/{r=$2} /^ +99%/{p=$2} END{printf "%s %s", r, p}'
}

bench() { # name database-url
  local seed inf tok
  seed=$(cd "$root" && DATABASE_URL="$2" npx tsx bench-peer-seed.ts "$PEER_DATA/db.sqlite3" | tail -1)
  inf=$(echo "$seed" | sed 's/.*"influencer":"\([^"]*\)".*/\1/')
  # Statistics as a live database has them (autovacuum would analyze the fresh rows within a minute or so; without
  # them PostgreSQL plans the list as if the tables were empty).
  case "$2" in postgresql*) psql -q "$2" -c ANALYZE ;; esac
  (cd "$root" && PORT=$port DATABASE_URL="$2" JWT_SECRET=$secret NODE_ENV=production LOG_LEVEL=warn \
    DATA_DIR="$work" UPLOAD_DIR="$work/up" exec setsid node dist/main.js >"$work/server.log" 2>&1) &
  server=$!
  for _ in $(seq 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  tok=$(cd "$root" && node -e 'const j=require("jsonwebtoken");console.log(j.sign({role:"influencer",type:"access"},process.argv[1],{algorithm:"HS256",subject:process.argv[2],expiresIn:"1h"}))' "$secret" "$inf")
  load 4 "$tok" >/dev/null # warm-up
  for i in $(seq "$rounds"); do
    read -r r4 p4 <<<"$(load 4 "$tok")"
    read -r r20 p20 <<<"$(load 20 "$tok")"
    echo "$1 round $i: c4 $r4 req/s p99 $p4 | c20 $r20 req/s p99 $p20 | c20/c4 $(awk "BEGIN{printf \"%.2f\", $r20/$r4}")"
  done
  kill -- -"$server" && wait "$server" 2>/dev/null || true
  server=""
}

bench sqlite "file:$work/proj.db"
psql -q "$pg/postgres" -c "CREATE DATABASE $pgdb" >/dev/null && bench postgresql "$pg/$pgdb"
