#!/bin/sh
# Collector against its ceiling, side by side in one run (bench/README.md).
#
#   bench/collector_bench.sh [seconds=15] [conns=64] [prepare=6000] [runs=3]
#       [rounds=3]
#
# The table's "CPU ms" is the server's CPU time (all threads) per
# acknowledged submission (a whole survey in its row), which a shared
# machine moves less than the rates.
#
# Builds what it needs in a Release directory (CANDOR_BENCH_BUILD, default
# build-bench), measures the collector's submit body once (survey_load
# --mode probe), then alternates on loopback, with the same load generator
# (bench/survey_load.c), `runs` times:
#   - bench/ceiling.c (libmicrohttpd + one group-commit SQLite writer, no
#     validation): POST a body shaped like the collector's submit, 303,
#     GET of its Location, 200; for `seconds`;
#   - the collector on a fresh database: whole surveys of
#     forms/fibromyalgia-therapies.json for `seconds` (every step a POST,
#     303, GET; check your answers, submit, thank-you page), then final
#     submissions only: `rounds` rounds of `prepare` (at most 8000) surveys
#     walked to their check of answers (not timed), then their submit
#     POSTs, each followed by the GET of its thank-you page (timed), until
#     they run out;
# and the ceiling once more at the end. Each collector run is compared with
# the mean of the ceiling runs just before and just after it (the machine's
# load drifts); the ratios are given per run and as min/median/max. Every
# receipt the collector showed is then looked up in its database
# (bench/receipt_check.c). Started as root, the collector runs as nobody,
# so its database directory is given to nobody.
set -eu

seconds=${1:-15}
conns=${2:-64}
prepare=${3:-6000}
runs=${4:-3}
rounds=${5:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CANDOR_BENCH_BUILD:-$root/build-bench}
form=$root/forms/fibromyalgia-therapies.json

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target collector survey_load ceiling \
    receipt_check >/dev/null

tmp=$(mktemp -d "${TMPDIR:-/tmp}/collector_bench.XXXXXX")
server=
cleanup() {
	if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# start NAME CMD...: run a server, wait for its "listening on" line.
start() {
	name=$1
	shift
	rm -f "$tmp/$name.out" # an earlier server's port is no answer
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
	server=$!
	i=0
	while ! grep -q '^listening on' "$tmp/$name.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 100 ] || ! kill -0 "$server" 2>/dev/null; then
			echo "collector_bench: $name did not start:" >&2
			cat "$tmp/$name.err" >&2
			exit 1
		fi
		sleep 0.1
	done
	port=$(sed -n 's#^listening on http://[^:]*:\([0-9]*\)/.*#\1#p' \
	    "$tmp/$name.out")
}

# stop NAME: SIGTERM, and the server must exit 0 (the collector compacts
# its file first).
stop() {
	kill -TERM "$server"
	st=0
	wait "$server" || st=$?
	server=
	if [ "$st" -ne 0 ]; then
		echo "collector_bench: $1 exited with status $st:" >&2
		cat "$tmp/$1.err" >&2
		exit 1
	fi
}

# field LINE KEY: the value of key=value in a result line.
field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# collector_dir NAME: a fresh directory the collector may own. Run as
# nobody, it must also reach the directory by its path: SQLite makes its
# temporary files there (store/store.c, store_temp_dir), and a refused
# stat sends them to /var/tmp, outside the sandbox, so some submissions
# would fail with 503.
if [ "$(id -u)" -eq 0 ]; then chmod 711 "$tmp"; fi
collector_dir() {
	mkdir -m 700 "$tmp/$1"
	if [ "$(id -u)" -eq 0 ]; then chown nobody: "$tmp/$1"; fi
	echo "$tmp/$1"
}

collector() {
	start collector "$build/bin/collector" --form "$form" --db "$1/c.db" \
	    --port 0 --min-fill-seconds 0 --rate-per-minute 0
}

load=$build/bin/survey_load

# failed WHAT: the load generator saw an unexpected answer; say what the
# collector said too.
failed() {
	echo "collector_bench: $1:" >&2
	cat "$tmp/load.err" "$tmp/collector.err" >&2
	exit 1
}

# The ceiling's body is as large as the collector's submit body.
d=$(collector_dir probe)
collector "$d"
probe=$("$load" --port "$port" --mode probe)
stop collector
state_bytes=$(field "$probe" state_bytes)

# ceiling N: one run of the ceiling on a fresh database.
ceiling() {
	start ceiling "$build/bin/ceiling" --db "$tmp/ceiling$1.db" --port 0
	post=$("$load" --port "$port" --mode post --conns "$conns" \
	    --seconds "$seconds" --state-bytes "$state_bytes" \
	    --server-pid "$server")
	stop ceiling
	rows=$(sed -n 's/^rows=//p' "$tmp/ceiling.out")
	echo "$post rows=$rows" >"$tmp/ceiling.$1"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
ceiling 0
r=1
while [ "$r" -le "$runs" ]; do
	d=$(collector_dir "c$r")
	collector "$d"
	"$load" --port "$port" --mode survey --conns "$conns" \
	    --seconds "$seconds" --receipts "$d.survey" --server-pid "$server" \
	    >"$tmp/survey.$r" \
	    2>"$tmp/load.err" || failed "run $r, whole surveys"
	"$load" --port "$port" --mode final --conns "$conns" \
	    --prepare "$prepare" --rounds "$rounds" --receipts "$d.final" \
	    --server-pid "$server" >"$tmp/final.$r" 2>"$tmp/load.err" ||
	    failed "run $r, final submits"
	stop collector
	"$build/bin/receipt_check" "$d/c.db" "$d.survey" \
	    >"$tmp/check_survey.$r" || true
	"$build/bin/receipt_check" "$d/c.db" "$d.final" \
	    >"$tmp/check_final.$r" || true
	ceiling "$r"
	r=$((r + 1))
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

echo "collector_bench: $conns connections over loopback, $(nproc) cores," \
    "load average $load_before before, $load_after after;" \
    "collector --min-fill-seconds 0 --rate-per-minute 0;" \
    "$seconds s phases; final submits: $rounds rounds of $prepare"
echo "submit body $(field "$probe" body_bytes) bytes (state" \
    "$state_bytes bytes); $(field "$probe" requests_to_check) requests to" \
    "the check of answers"
printf '%-30s %9s %8s %7s %7s %8s %8s %8s %8s\n' "" "acked/s" "HTTP/s" \
    "p50 ms" "p99 ms" "POST p99" "GET p99" "pair p99" "CPU ms"
row() {
	printf '%-30s %9s %8s %7s %7s %8s %8s %8s %8s\n' "$1" \
	    "$(field "$2" acked_per_s)" "$(field "$2" req_per_s)" \
	    "$(field "$2" p50_ms)" "$(field "$2" p99_ms)" \
	    "$(field "$2" final_p99_ms)" "$(field "$2" thanks_p99_ms)" \
	    "$(field "$2" sub_p99_ms)" "$(field "$2" cpu_ms_per_ack)"
}
row "ceiling 0" "$(cat "$tmp/ceiling.0")"
r=1
while [ "$r" -le "$runs" ]; do
	row "collector $r: whole surveys" "$(cat "$tmp/survey.$r")"
	row "collector $r: final submits" "$(cat "$tmp/final.$r")"
	row "ceiling $r" "$(cat "$tmp/ceiling.$r")"
	r=$((r + 1))
done
for f in "$tmp"/ceiling.[0-9]*; do echo "raw: ceiling:  $(cat "$f")"; done
r=1
while [ "$r" -le "$runs" ]; do
	echo "raw: survey $r: $(cat "$tmp/survey.$r")"
	echo "raw: final $r:  $(cat "$tmp/final.$r")"
	echo "receipts $r (whole surveys): $(cat "$tmp/check_survey.$r")"
	echo "receipts $r (final submits): $(cat "$tmp/check_final.$r")"
	r=$((r + 1))
done

# Per run: the ratios against the mean of the neighbouring ceiling runs.
r=1
: >"$tmp/ratios"
: >"$tmp/ratio_lines"
while [ "$r" -le "$runs" ]; do
	b=$(cat "$tmp/ceiling.$((r - 1))")
	a=$(cat "$tmp/ceiling.$r")
	s=$(cat "$tmp/survey.$r")
	f=$(cat "$tmp/final.$r")
	cb=$(field "$b" acked_per_s)
	ca=$(field "$a" acked_per_s)
	awk -v r="$r" -v cb="$cb" -v ca="$ca" -v f="$(field "$f" acked_per_s)" \
	    -v s="$(field "$s" acked_per_s)" 'BEGIN { c = (cb + ca) / 2
		printf "run %d: ceiling %.0f submissions/s (mean of %.0f and " \
		    "%.0f); final/ceiling %.3f; whole surveys/ceiling %.4f\n",
		    r, c, cb, ca, f / c, s / c }' >>"$tmp/ratio_lines"
	awk -v cb="$cb" -v ca="$ca" -v hb="$(field "$b" req_per_s)" \
	    -v ha="$(field "$a" req_per_s)" -v f="$(field "$f" acked_per_s)" \
	    -v s="$(field "$s" acked_per_s)" -v sh="$(field "$s" req_per_s)" \
	    -v sp99="$(field "$s" p99_ms)" -v fp99="$(field "$f" final_p99_ms)" \
	    -v pp99="$(field "$f" sub_p99_ms)" \
	    -v kb="$(field "$b" cpu_ms_per_ack)" \
	    -v ka="$(field "$a" cpu_ms_per_ack)" \
	    -v kf="$(field "$f" cpu_ms_per_ack)" 'BEGIN {
		c = (cb + ca) / 2; h = (hb + ha) / 2; k = (kb + ka) / 2
		printf "%.3f %.4f %.3f %s %s %s %.2f\n", f / c, s / c, sh / h,
		    sp99, fp99, pp99, (k > 0 ? kf / k : 0) }' >>"$tmp/ratios"
	r=$((r + 1))
done
cat "$tmp/ratio_lines"
# stats COLUMN: min, median and max of a column of the ratios.
stats() {
	cut -d' ' -f"$1" "$tmp/ratios" | sort -g | awk '{ v[NR] = $1 } END {
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "min %s, median %s, max %s", v[1], m, v[NR] }'
}
echo "ratio final submissions/s, collector / ceiling (like for like):" \
    "$(stats 1) (target >= 0.50)"
echo "ratio whole surveys/s / ceiling submissions/s: $(stats 2)"
echo "ratio HTTP requests/s, whole surveys / ceiling: $(stats 3)"
echo "p99 per request, whole surveys (ms): $(stats 4) (target < 20)"
echo "p99 of the submit POST, final submits (ms): $(stats 5)"
echo "p99 of submit POST + thank-you GET, final submits (ms): $(stats 6)"
echo "server CPU per submission, final submits / ceiling: $(stats 7)"

for c in "$tmp"/check_*; do
	if ! grep -q ' missing=0 ' "$c"; then
		echo "collector_bench: acknowledged receipts missing from the" \
		    "database (or not checked): $(basename "$c")" >&2
		exit 1
	fi
done
