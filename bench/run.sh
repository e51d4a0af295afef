#!/usr/bin/env bash
# Load benchmark for Liaison (not part of the tests). Seeds 100,000 partners and 1,000,000
# activities into a fresh SQLite file, starts the release binary, and drives it with wrk at 50
# connections: partner search (API), the partner page (SSR), logging a contact (API write) and
# the next-steps page (SSR, 600 open steps).
# Prints req/s, p50 and p99 per scenario, the server's peak RSS, panics in its log, its exit
# status when stopped right after the load, and the gzipped wasm size.
#
#   bench/run.sh                      # builds with `cargo xtask dist` first
#   PARTNERS=10000 ACTIVITIES=100000 DURATION=10s bench/run.sh   # a quicker run
#
# Traffic goes only to 127.0.0.1; every wrk run is bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."

PARTNERS="${PARTNERS:-100000}"
ACTIVITIES="${ACTIVITIES:-1000000}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-2}"
PORT="${PORT:-3917}"
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
BIN="$TARGET/release/liaison"
WORK="$(mktemp -d)"
trap 'if [ -n "${SERVER:-}" ]; then kill "$SERVER" 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ "${SKIP_BUILD:-0}" = 1 ] || cargo xtask dist
export DATABASE_URL="sqlite://$WORK/bench.db" LIAISON_LOG=warn

echo "== seeding $PARTNERS partners and $ACTIVITIES activities"
echo "bench-password-123" | "$BIN" user add --email bench@example.com --name Bench --role admin --password-stdin
"$BIN" seed --partners "$PARTNERS" --activities "$ACTIVITIES"

"$BIN" serve --addr "127.0.0.1:$PORT" > "$WORK/server.log" 2>&1 &
SERVER=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
# Another server already on the port would answer the health check and be measured instead.
if ! kill -0 "$SERVER" 2>/dev/null; then
  echo "the server did not start: $(tail -n 3 "$WORK/server.log")" >&2
  exit 1
fi
BASE="http://127.0.0.1:$PORT"
COOKIE=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
  -d '{"email":"bench@example.com","password":"bench-password-123"}' "$BASE/api/v1/auth/login" \
  | awk -F'[ ;]' 'tolower($1)=="set-cookie:" && $2 ~ /^liaison_session=/ {print $2}')
PARTNER=$(curl -s -b "$COOKIE" "$BASE/api/v1/partners?q=lotus&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
export COOKIE PARTNER

report() { # name, wrk output file
  python3 - "$1" "$2" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
def ms(v):
    n = float(re.match(r"[\d.]+", v).group()); unit = v[len(re.match(r"[\d.]+", v).group()):]
    return n * {"us": 0.001, "ms": 1, "s": 1000}[unit]
p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1)
p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1)
rps = re.search(r"Requests/sec:\s+(\S+)", text).group(1)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
timeouts = re.search(r"timeout (\d+)", text)
done = re.search(r"(\d+) requests in", text).group(1)
line = f"{name:<16} {float(rps):>9.0f} req/s   p50 {ms(p50):7.2f} ms   p99 {ms(p99):7.2f} ms   ({done} requests)"
if errors: line += f"   NON-2XX: {errors.group(1)}"
if timeouts and int(timeouts.group(1)): line += f"   TIMEOUTS (>2 s, not in the percentiles): {timeouts.group(1)}"
print(line)
PY
}

run() { # name, lua script
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "bench/$2" "$BASE" > "$WORK/$1.txt"
  report "$1" "$WORK/$1.txt"
}

echo "== wrk: $CONNECTIONS connections, $THREADS threads, $DURATION each"
run search search.lua
run partner-page partner_page.lua
run log-contact log_contact.lua
RSS=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
echo "server peak RSS  $((RSS / 1024)) MiB (the three scenarios above)"
run next-steps-page next_steps_page.lua
RSS=$(awk '/VmHWM/ {print $2}' "/proc/$SERVER/status")
echo "server peak RSS  $((RSS / 1024)) MiB (after the next-steps page too)"
# A panic in the server log is a bug even when wrk saw no error (a client that left, say).
echo "server panics    $(grep -c 'panicked' "$WORK/server.log" || true)"
# Stopped right after a load, with pages of clients that left still finishing: it must exit
# cleanly (it once aborted here with a stack overflow).
kill -TERM "$SERVER"
STATUS=0
wait "$SERVER" || STATUS=$?
SERVER=
echo "server exit      $STATUS on SIGTERM right after the load$([ "$STATUS" = 0 ] || echo "   FAILED: $(tail -n 2 "$WORK/server.log" | tr '\n' ' ')")"
WASM="$TARGET/site/pkg/web_bg.wasm"
echo "wasm             $(( $(wc -c < "$WASM") / 1024 )) KiB raw, $(( $(gzip -9 -c "$WASM" | wc -c) / 1024 )) KiB gzipped"
