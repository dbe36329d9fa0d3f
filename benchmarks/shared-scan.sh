#!/usr/bin/env bash
# Shared scan throughput: 1, 2 and 4 `likeness scan-worker` processes on one PostgreSQL queue.
#
# Starts a private PostgreSQL server (initdb + pg_ctl in a temporary folder, loopback, as the postgres user when
# run as root), enrols two artists, copies N LibriSpeech utterances from ../shared/data (default 60), and for each
# worker count queues the folder in a fresh database and times the workers until every file is done. Prints one
# Markdown row per worker count: files/s, the ratio to one worker, and the database's share of the workers' time
# (the workers' own measure: time waiting for claims, result lookups and stores, over their wall time).
#
# Usage: bash benchmarks/shared-scan.sh [FILES]   (needs a release build and the models: scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${1:-60}
BIN="$(swift build -c release --show-bin-path)/likeness"
DATA=${LIKENESS_SHARED:-../shared}/data/librispeech_tc100/train-clean-100
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
WORK=$(mktemp -d /tmp/likeness-shared-bench.XXXXXX)
chmod 755 "$WORK"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -m immediate -w stop >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup EXIT

mkdir -p "$WORK/pg" "$WORK/audio"
echo "$PASSWORD" > "$WORK/pg/pw"
[ "$(id -u)" -eq 0 ] && chown -R postgres:postgres "$WORK/pg"
as_pg "$PGBIN/initdb" -D "$WORK/pg/data" -U likeness --pwfile="$WORK/pg/pw" --auth=scram-sha-256 -E UTF8 --no-locale >/dev/null
as_pg "$PGBIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/log" -w -o "-p $PORT -c listen_addresses=127.0.0.1 -k $WORK/pg" start >/dev/null
export PGPASSWORD=$PASSWORD
URL="postgres://likeness@127.0.0.1:$PORT"

find "$DATA" -name '*.flac' | sort | head -n "$FILES" | while read -r f; do cp "$f" "$WORK/audio/"; done
AUDIO_SECONDS=$(soxi -D "$WORK"/audio/*.flac | awk '{s+=$1} END {printf "%.0f", s}')
REGISTRY="$URL/registry"
"$BIN" enroll --artist "Alice Example" samples/alice_1.wav samples/alice_2.wav --model ge2e --registry "$REGISTRY" >/dev/null
"$BIN" enroll --artist "Bob Example" --id bob samples/bob_1.wav samples/bob_2.wav --model ge2e --registry "$REGISTRY" >/dev/null

echo "files: $FILES ($AUDIO_SECONDS s of audio); machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| workers | wall s | files/s | vs 1 worker | DB calls per file | DB share of worker time | load avg (1 min) after |"
echo "|---|---|---|---|---|---|---|"
BASE=""
for W in 1 2 4; do
  QUEUE="$URL/queue_$W"
  "$BIN" scan "$WORK/audio" --model ge2e --min-score 0.7 --queue "$QUEUE" --registry "$REGISTRY" >/dev/null 2>&1
  START=$(date +%s.%N)
  PIDS=()
  for i in $(seq 1 "$W"); do
    "$BIN" scan-worker --queue "$QUEUE" --registry "$REGISTRY" --jobs 1 --worker-id "w$i" --json > "$WORK/w$W-$i.json" 2>/dev/null &
    PIDS+=($!)
  done
  for p in "${PIDS[@]}"; do wait "$p"; done
  END=$(date +%s.%N)
  python3 - "$WORK" "$W" "$START" "$END" "$FILES" "${BASE:-0}" <<'EOF' > "$WORK/row"
import json, sys, glob
work, w, start, end, files, base = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
summaries = [json.load(open(f)) for f in sorted(glob.glob(f"{work}/w{w}-*.json"))]
wall = end - start
rate = sum(s["files"] for s in summaries) / wall
db = sum(s["database_seconds"] for s in summaries) / sum(s["wall_seconds"] for s in summaries)
calls = sum(s["database_calls"] for s in summaries) / max(1, sum(s["files"] for s in summaries))
ratio = f"{rate / base:.2f}x" if base else "1.00x"
load = open("/proc/loadavg").read().split()[0]
print(f"{rate}||| {w} | {wall:.1f} | {rate:.2f} | {ratio} | {calls:.1f} | {100 * db:.2f}% | {load} |")
EOF
  ROW=$(cat "$WORK/row")
  [ -z "$BASE" ] && BASE=${ROW%%||*}
  echo "${ROW#*||}"
done
