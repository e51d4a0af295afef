#!/usr/bin/env bash
# Load benchmark for Liaison (not part of the tests): Liaison against the bare stack (axum +
# sqlx and nothing else, `../shared/peers/`), in the same run, as ratios. Machines here vary 2x
# from day to day; a ratio measured in one run does not.
#
# Each server runs pinned to core 0 (taskset), wrk to core 1, one scenario at a time, each
# Liaison scenario right after the bare scenario it is held against:
#   SQLite (100,000 partners, 1,000,000 activities): search for a common, a rare and a Chinese
#     term, the partner page (SSR), logging a contact, the next-steps page (SSR, 600 steps);
#   PostgreSQL (100,000 partners), when one answers: the three searches.
# Printed: req/s, p50, p99 and Liaison / bare for each, each floor met or not, every search
# term's p99 on PostgreSQL against SQLite, the new server's peak RSS, panics in the servers'
# logs, the exit status on SIGTERM right after the load, and the gzipped wasm.
#
#   bench/run.sh                                  # builds with `cargo xtask dist` first
#   BEFORE=/path/to/old/liaison bench/run.sh      # also measures an older release binary
#   PARTNERS=10000 ACTIVITIES=100000 DURATION=5s bench/run.sh    # a quicker run
#
# Traffic goes only to 127.0.0.1; every wrk run is bounded by DURATION.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

PARTNERS="${PARTNERS:-100000}"
ACTIVITIES="${ACTIVITIES:-1000000}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-50}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
PEERS="${PEERS:-$ROOT/../shared/peers}"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
NEW="$TARGET/release/liaison"
BEFORE="${BEFORE:-}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }
[ -d "$PEERS" ] || { echo "the bare stack is not at $PEERS (set PEERS)" >&2; exit 1; }
[ "${SKIP_BUILD:-0}" = 1 ] || cargo xtask dist
pg_up() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
psql_admin() { psql "$PG/postgres" -q -v ON_ERROR_STOP=1 "$@"; }

wait_for() { # url, pid, log
  for _ in $(seq 1 150); do curl -sf "$1" >/dev/null 2>&1 && break; sleep 0.2; done
  # Another server on the port would answer the check and be measured instead.
  kill -0 "$2" 2>/dev/null || { echo "the server did not start: $(tail -n 3 "$3")" >&2; exit 1; }
}

NEXT_PORT=3921
start_liaison() { # label, binary, database url, seed activities -> sets PORT_<label>, COOKIE_<label>, PARTNER_<label>
  local label=$1 bin=$2 url=$3 activities=$4 port=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
  echo "== $label: seeding $PARTNERS partners and $activities activities"
  echo "bench-password-123" | DATABASE_URL="$url" LIAISON_LOG=warn "$bin" user add \
    --email bench@example.com --name Bench --role admin --password-stdin >/dev/null
  DATABASE_URL="$url" LIAISON_LOG=warn "$bin" seed --partners "$PARTNERS" --activities "$activities" | tail -n 1
  # Statistics for the planner, whichever binary seeded (older seeds did not analyse).
  case "$url" in postgres*) psql "$url" -q -c "VACUUM ANALYZE" ;; esac
  DATABASE_URL="$url" LIAISON_LOG=warn MIMALLOC_PURGE_DELAY=0 taskset -c 0 "$bin" serve \
    --addr "127.0.0.1:$port" > "$WORK/$label.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_for "http://127.0.0.1:$port/healthz" "$pid" "$WORK/$label.log"
  local cookie partner
  cookie=$(curl -s -D - -o /dev/null -H 'content-type: application/json' \
    -d '{"email":"bench@example.com","password":"bench-password-123"}' \
    "http://127.0.0.1:$port/api/v1/auth/login" \
    | awk -F'[ ;]' 'tolower($1)=="set-cookie:" && $2 ~ /^liaison_session=/ {print $2}')
  # The search index is filled by a job at start-up after a seed by an older binary: wait for it.
  for _ in $(seq 1 300); do
    partner=$(curl -s -b "$cookie" "http://127.0.0.1:$port/api/v1/partners?q=lotus&limit=1" \
      | python3 -c 'import json,sys; i=json.load(sys.stdin)["items"]; print(i[0]["id"] if i else "")')
    [ -n "$partner" ] && break
    sleep 0.5
  done
  printf -v "PORT_$label" '%s' "$port"
  printf -v "COOKIE_$label" '%s' "$cookie"
  printf -v "PARTNER_$label" '%s' "$partner"
  printf -v "PID_$label" '%s' "$pid"
}

start_bare() { # label, mode, [url]
  local label=$1 mode=$2 port=$NEXT_PORT
  NEXT_PORT=$((NEXT_PORT + 1))
  taskset -c 0 bash "$PEERS/bare.sh" "$mode" "$port" ${3:-} > "$WORK/$label.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  wait_for "http://127.0.0.1:$port/partners?q=Ab&limit=1" "$pid" "$WORK/$label.log"
  printf -v "PORT_$label" '%s' "$port"
}

RESULTS="$WORK/results.tsv"
: > "$RESULTS"
measure() { # server label, scenario name, lua script, [Q]
  local label=$1 name=$2 script=$3 port cookie partner
  port="PORT_$label"; cookie="COOKIE_$label"; partner="PARTNER_$label"
  COOKIE="${!cookie:-}" PARTNER="${!partner:-}" Q="${4:-}" taskset -c 1 \
    wrk -t1 -c"$CONNECTIONS" -d"$DURATION" --latency -s "bench/$script" "http://127.0.0.1:${!port}" \
    > "$WORK/run.txt"
  python3 - "$label" "$name" "$WORK/run.txt" >> "$RESULTS" <<'PY'
import re, sys
label, name, path = sys.argv[1:4]
text = open(path).read()
def ms(v):
    n = re.match(r"[\d.]+", v).group()
    return float(n) * {"us": 0.001, "ms": 1, "s": 1000}[v[len(n):]]
p50 = ms(re.search(r"^\s+50%\s+(\S+)", text, re.M).group(1))
p99 = ms(re.search(r"^\s+99%\s+(\S+)", text, re.M).group(1))
rps = float(re.search(r"Requests/sec:\s+(\S+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{label}\t{name}\t{rps:.0f}\t{p50:.2f}\t{p99:.2f}\t{bad.group(1) if bad else 0}")
PY
  tail -n 1 "$RESULTS" | awk -F'\t' '{printf "   %-8s %-16s %7s req/s  p50 %7s ms  p99 %7s ms%s\n", $1, $2, $3, $4, $5, ($6 > 0 ? "  NON-2XX: " $6 : "")}'
}

LABELS=(new)
[ -n "$BEFORE" ] && LABELS+=(before)
binary() { if [ "$1" = new ]; then echo "$NEW"; else echo "$BEFORE"; fi; }

# A common term (a sector: a seventh of the names, in ten runs of ~1,430 names, the first run
# after the first 1,430 names), one whose matches sit together in one run
# (a first word: the walk in name order passes every name before them), a rare serial, a
# Chinese term in every name (合作), and one whose matches sit together (港河, the Chinese of
# "Harbour").
SEARCHES=("common energy" "clustered lotus" "rare 0012345" "chinese %E5%90%88%E4%BD%9C" "chinese-clustered %E6%B8%AF%E6%B2%B3")

echo "== SQLite"
start_bare bare_sqlite sqlite
for label in "${LABELS[@]}"; do
  start_liaison "$label" "$(binary "$label")" "sqlite://$WORK/$label.db" "$ACTIVITIES"
done
for term in "${SEARCHES[@]}"; do
  set -- $term
  measure bare_sqlite "list" bare_list.lua
  for label in "${LABELS[@]}"; do measure "$label" "search-$1" search.lua "$2"; done
done
measure bare_sqlite "list" bare_list.lua
for label in "${LABELS[@]}"; do measure "$label" "partner-page" partner_page.lua; done
measure bare_sqlite "insert" bare_insert.lua
for label in "${LABELS[@]}"; do measure "$label" "log-contact" log_contact.lua; done
RSS3=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$PID_new/status")
measure bare_sqlite "list" bare_list.lua
for label in "${LABELS[@]}"; do measure "$label" "next-steps-page" next_steps_page.lua; done
RSS4=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$PID_new/status")

if pg_up; then
  echo "== PostgreSQL"
  for label in "${LABELS[@]}"; do
    psql_admin -c "DROP DATABASE IF EXISTS liaison_bench_$label WITH (FORCE)" -c "CREATE DATABASE liaison_bench_$label"
    start_liaison "pg_$label" "$(binary "$label")" "$PG/liaison_bench_$label" 0
  done
  psql_admin -c "DROP DATABASE IF EXISTS bare_bench WITH (FORCE)" -c "CREATE DATABASE bare_bench"
  (cd "${XDG_CACHE_HOME:-$HOME/.cache}/liaison-bare-stack" && psql "$PG/bare_bench" -q -v ON_ERROR_STOP=1 -f "$PEERS/pg_schema.sql" >/dev/null)
  start_bare bare_pg pg "$PG/bare_bench"
  for term in "${SEARCHES[@]}"; do
    set -- $term
    measure bare_pg "list" bare_list.lua
    for label in "${LABELS[@]}"; do measure "pg_$label" "search-$1" search.lua "$2"; done
  done
else
  echo "== PostgreSQL: nothing answers on 127.0.0.1:5432; skipped"
fi

PANICS=0
for label in "${LABELS[@]}" $(pg_up && printf 'pg_%s ' "${LABELS[@]}"); do
  PANICS=$((PANICS + $(grep -c 'panicked' "$WORK/$label.log" || true)))
done
# Stopped right after a load it must exit cleanly (it once aborted here with a stack overflow).
kill -TERM "$PID_new"
STATUS=0
wait "$PID_new" || STATUS=$?
WASM="$TARGET/site/pkg/web_bg.wasm"

python3 - "$RESULTS" "$RSS3" "$RSS4" "$PANICS" "$STATUS" "$(wc -c < "$WASM")" "$(gzip -9 -c "$WASM" | wc -c)" <<'PY'
import sys
path, rss3, rss4, panics, status, wasm, wasm_gz = sys.argv[1:8]
rows = [line.rstrip("\n").split("\t") for line in open(path) if line.strip()]
# Each Liaison scenario against the bare scenario measured just before it.
against = {"search": "list", "partner-page": "list", "next-steps-page": "list", "log-contact": "insert"}
floors = {"search": 0.4, "partner-page": 0.12, "log-contact": 0.3}
unfloored = {"search-clustered", "search-chinese-clustered"}
last = {}
ratios = []
for label, name, rps, p50, p99, bad in rows:
    if label.startswith("bare"):
        last[(label, name)] = float(rps)
        continue
    db = "pg" if label.startswith("pg_") else "sqlite"
    kind = "search" if name.startswith("search") else name
    bare = last.get(("bare_pg" if db == "pg" else "bare_sqlite", against[kind]))
    floor = None if name in unfloored else floors.get(kind)
    ratios.append((db, label.removeprefix("pg_"), name, float(rps), float(p99), float(rps) / bare, floor, int(bad)))
print()
print(f"{'database':<8} {'binary':<7} {'scenario':<16} {'req/s':>7} {'p99 ms':>8} {'÷ bare':>7}  floor")
failed = []
for db, label, name, rps, p99, ratio, floor, bad in ratios:
    verdict = ""
    if floor is not None:
        verdict = f"≥ {floor}  {'ok' if ratio >= floor else 'MISSED'}"
        if label == "new" and ratio < floor:
            failed.append(f"{db} {name} {ratio:.2f} < {floor}")
    if bad:
        verdict += f"  NON-2XX {bad}"
        if label == "new":
            failed.append(f"{db} {name}: {bad} errors")
    print(f"{db:<8} {label:<7} {name:<16} {rps:>7.0f} {p99:>8.2f} {ratio:>7.2f}  {verdict}")
pg = {(l, n): p for d, l, n, r, p, *_ in ratios if d == "pg"}
sq = {(l, n): p for d, l, n, r, p, *_ in ratios if d == "sqlite"}
if pg:
    print()
    for (label, name), p99 in sorted(pg.items()):
        base = sq.get((label, name))
        if base and name not in unfloored:
            ok = p99 <= 3 * base
            print(f"p99 on PostgreSQL / SQLite, {label} {name}: {p99 / base:.2f} (≤ 3: {'ok' if ok else 'MISSED'})")
            if label == "new" and not ok:
                failed.append(f"pg {name} p99 {p99 / base:.1f}x SQLite's")
print()
print(f"new server peak RSS  {rss3} MiB (search, page, log)  {rss4} MiB (after next-steps)  (≤ 60: {'ok' if int(rss3) <= 60 else 'MISSED'})")
print(f"panics in the logs   {panics}")
print(f"exit on SIGTERM      {status}")
print(f"wasm                 {int(wasm) // 1024} KiB raw, {int(wasm_gz) // 1024} KiB gzipped")
if int(rss3) > 60: failed.append("RSS")
if int(panics): failed.append("panics")
if int(status): failed.append("exit status")
print("floors: " + ("all met" if not failed else "MISSED: " + "; ".join(failed)))
PY
