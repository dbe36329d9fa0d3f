#!/usr/bin/env bash
# Load test of `likeness serve` (a benchmark, not a unit test): wrk with 16 connections on loopback against
# POST /v1/compare (suspect_ad.wav against the enrolled alice-example), then throughput, p50/p99 latency, the
# status codes seen and the server's peak RSS. Anything but 200 or the documented 503 counts as a failure.
#
#   [LIKENESS_BIN=.build/release/likeness] bash benchmarks/serve-load.sh [--model ge2e] [--duration 30] [--connections 16] [--workers N] [--queue N]
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL=ge2e DURATION=30 CONNECTIONS=16 EXTRA=()
while (($#)); do
  case "$1" in
    --model) MODEL="$2"; shift 2;;
    --duration) DURATION="$2"; shift 2;;
    --connections) CONNECTIONS="$2"; shift 2;;
    --workers|--queue|--queue-wait) EXTRA+=("$1" "$2"); shift 2;;
    *) echo "unknown option $1" >&2; exit 2;;
  esac
done
command -v wrk >/dev/null || { echo "installing wrk"; apt-get install -y -qq wrk >/dev/null; }
# LIKENESS_BIN: an already built tool (a `swift test` build, say), else a release build here.
if [ -z "${LIKENESS_BIN:-}" ]; then
  swift build -c release --product likeness >/dev/null
  LIKENESS_BIN="$(swift build -c release --show-bin-path)/likeness"
fi
BIN="$LIKENESS_BIN"
WORK="$(mktemp -d)"; trap 'kill $SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
REG="$WORK/reg.sqlite"
"$BIN" enroll --artist "Alice Example" --id alice-example --model "$MODEL" samples/alice_1.wav samples/alice_2.wav --registry "$REG" >/dev/null
TOKEN="$("$BIN" serve token create --role examiner --registry "$REG" 2>/dev/null | tail -1)"
"$BIN" serve --port 0 --registry "$REG" --model "$MODEL" "${EXTRA[@]}" 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 300); do grep -q "listening on" "$WORK/server.log" 2>/dev/null && break; sleep 0.1; done
PORT="$(grep -o 'http://127.0.0.1:[0-9]*' "$WORK/server.log" | head -1 | sed 's/.*://')"

cat > "$WORK/compare.lua" <<LUA
local f = assert(io.open("samples/suspect_ad.wav", "rb"))
local clip = f:read("*all"); f:close()
local b = "likeness-bench-boundary"
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $TOKEN"
wrk.headers["Content-Type"] = "multipart/form-data; boundary=" .. b
wrk.body = "--" .. b .. "\r\nContent-Disposition: form-data; name=\"artist\"\r\n\r\nalice-example\r\n"
  .. "--" .. b .. "\r\nContent-Disposition: form-data; name=\"clip\"; filename=\"suspect_ad.wav\"\r\nContent-Type: audio/wav\r\n\r\n"
  .. clip .. "\r\n--" .. b .. "--\r\n"
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for status, n in pairs(t:get("statuses")) do all[status] = (all[status] or 0) + n end
  end
  for status, n in pairs(all) do io.write(string.format("status %d: %d\n", status, n)) end
  io.write(string.format("p50_ms %.1f\np99_ms %.1f\n", latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
LUA
echo "CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //') ($(nproc) cores)"
echo "model $MODEL, $CONNECTIONS connections, ${DURATION}s, server options: ${EXTRA[*]:-defaults}"
wrk -t4 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 60s --latency -s "$WORK/compare.lua" "http://127.0.0.1:$PORT/v1/compare" | tee "$WORK/wrk.txt"
echo "server peak RSS: $(grep VmHWM /proc/$SERVER/status | awk '{printf "%.0f MB", $2/1024}')"
bad="$(grep '^status' "$WORK/wrk.txt" | grep -v -E '^status (200|503):' || true)"
kill -TERM $SERVER; wait $SERVER || true
if [ -n "$bad" ]; then echo "FAILED: unexpected statuses: $bad"; exit 1; fi
echo "ok: only 200 and the documented 503"
