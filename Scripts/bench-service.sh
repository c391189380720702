#!/usr/bin/env bash
# Lookups per second and latency of `zhaoren serve` on a generated city, with wrk (16 connections
# on loopback). Usage: Scripts/bench-service.sh [PERSONS] [SECONDS]   (defaults 1200000, 20)
# Needs wrk (apt-get install -y wrk) and python3; writes into ./bench-service/.
set -euo pipefail
persons=${1:-1200000}
seconds=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$PWD/bench-service
mkdir -p "$work"
command -v wrk >/dev/null || { echo "bench-service: wrk is not installed (apt-get install -y wrk)"; exit 1; }
swift build -c release --package-path "$root" >/dev/null
zhaoren="$root/.build/release/zhaoren"
[ -f "$work/city/coverage.json" ] || "$zhaoren" generate --persons "$persons" --seed 1 --out "$work/city"
/usr/bin/time -f "base build: %e s, peak %M KB" "$zhaoren" base build --settings "$work/city/coverage.json" --db "$work/base.sqlite"
token=bench-$RANDOM$RANDOM
printf '{"users": [{"name": "bench", "token_sha256": "%s", "role": "officer", "areas": ["*"]}]}\n' \
  "$(printf %s "$token" | sha256sum | cut -d' ' -f1)" > "$work/users.json"
# Queries: name and birth date of 5,000 generated residents of the police register.
python3 - "$work/city/police.csv" > "$work/queries.jsonl" <<'PY'
import csv, json, random, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
random.seed(1)
for r in random.sample(rows, min(5000, len(rows))):
    b = r["出生日期"]
    print(json.dumps({"name": r["姓名"], "birth": f"{b[:4]}-{b[4:6]}-{b[6:8]}" if len(b) == 8 else b}, ensure_ascii=False))
PY
"$zhaoren" serve --db "$work/base.sqlite" --users "$work/users.json" --listen 127.0.0.1:0 > "$work/serve.out" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
until grep -q serving "$work/serve.out" 2>/dev/null; do sleep 0.5; done
port=$(grep -o '[0-9]*$' "$work/serve.out")
sed "s/bench-token/$token/" "$root/Benchmarks/service/match.lua" > "$work/match.lua"
for run in 1 2 3; do
  ZHAOREN_QUERIES="$work/queries.jsonl" wrk -t 2 -c 16 -d "${seconds}s" --latency -s "$work/match.lua" "http://127.0.0.1:$port" \
    | grep -E "Requests/sec|^p50|errors"
done
