#!/usr/bin/env bash
# The project beside its peers, in one run (issue 15):
#   1. ../shared/peers/bench-three.sh: the Django REST peer, the bare node ceiling and this project (npm start,
#      NODE_ENV=production) on the same 10,000 campaigns, round by round: the authenticated open-campaign list and one
#      campaign's detail, req/s and p99 of each, the ratios project/Django and project/ceiling, the project's RSS.
#   2. bench/bid-create.ts: POST /apis/bids/create/ on the Django peer and the project, copies of the same seeded rows,
#      every request a new (influencer, open campaign) pair: req/s, p99, CPU per created bid, non-201 answers, ratio.
#   3. bench/marketplace.ts: the read paths (list at c4 and c20, filters, detail, bids, notifications, recent
#      messages, dashboard) on SQLite and PostgreSQL, req/s, p99 and the server's peak RSS under load.
#   4. bench/connections.sh: the list at 4 and at 20 connections (wrk), alternating, on SQLite and PostgreSQL.
#   bash bench/side-by-side.sh [ROUNDS] [SECONDS] [CONNECTIONS]     (defaults 3 8 20; run on a quiet machine)
# PEERS_DIR (default ../shared/peers) is where bench-three.sh lives; BENCH_DATABASE_URL as in bench/marketplace.ts.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
peers=${PEERS_DIR:-$root/../shared/peers}
rounds=${1:-3} secs=${2:-8} conns=${3:-20}
[ -f "$peers/bench-three.sh" ] || { echo "bench-three.sh not found in $peers (set PEERS_DIR)"; exit 1; }
echo "== side by side: Django peer, bare ceiling, project ($rounds rounds, ${secs} s, $conns connections)"
bash "$peers/bench-three.sh" "$root" "$rounds" "$secs" "$conns"
echo "== bid creation: Django peer and project"
(cd "$root" && PEERS_DIR="$peers" BENCH_ROUNDS="$rounds" BENCH_SECONDS="$secs" BENCH_CONNECTIONS="$conns" npx tsx bench/bid-create.ts)
echo "== read paths on SQLite and PostgreSQL"
cd "$root" && BENCH_SECONDS="$secs" BENCH_CONNECTIONS="$conns" npx tsx bench/marketplace.ts
echo "== the list at 4 and 20 connections"
bash "$root/bench/connections.sh" "$rounds" "$secs"
