#!/bin/sh
# Collector against its ceiling, side by side in one run (bench/README.md).
#
#   bench/collector_bench.sh [seconds=15] [conns=64] [prepare=20000]
#
# Builds what it needs in a Release directory (CANDOR_BENCH_BUILD, default
# build-bench), then on loopback with the same load generator
# (bench/survey_load.c):
#   1. the collector, whole surveys of forms/fibromyalgia-therapies.json
#      (consent, 8 pages, submit, thank-you page) for `seconds`;
#   2. the collector, final submissions only: `prepare` surveys are walked
#      to their last page first (not timed), then their final POSTs are
#      timed until they run out;
#   3. bench/ceiling.c (libmicrohttpd + one group-commit SQLite writer, no
#      validation) with a body shaped like the final submission, for
#      `seconds` before the collector runs and again after (the machine's
#      load drifts; ratios use the mean of the two).
# Every receipt the collector acknowledged is then looked up in its
# database (bench/receipt_check.c). Prints a table and the ratios.
set -eu

seconds=${1:-15}
conns=${2:-64}
prepare=${3:-20000}
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

stop() {
	kill -TERM "$server"
	wait "$server" || {
		echo "collector_bench: server exited with an error" >&2
		exit 1
	}
	server=
}

# field LINE KEY: the value of key=value in a result line.
field() {
	echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

load=$build/bin/survey_load

# ceiling N: one run of the ceiling on a fresh database.
ceiling() {
	start ceiling "$build/bin/ceiling" --db "$tmp/ceiling$1.db" --port 0
	post=$("$load" --port "$port" --mode post --conns "$conns" \
	    --seconds "$seconds")
	stop
	rows=$(sed -n 's/^rows=//p' "$tmp/ceiling.out")
	echo "$post rows=$rows"
}

post1=$(ceiling 1)
start collector "$build/bin/collector" --form "$form" --db "$tmp/c.db" \
    --port 0 --min-fill-seconds 0 --rate-per-minute 0
survey=$("$load" --port "$port" --mode survey --conns "$conns" \
    --seconds "$seconds" --receipts "$tmp/survey.receipts")
final=$("$load" --port "$port" --mode final --conns "$conns" \
    --seconds "$seconds" --prepare "$prepare" \
    --receipts "$tmp/final.receipts")
stop
check_survey=$("$build/bin/receipt_check" "$tmp/c.db" "$tmp/survey.receipts")
check_final=$("$build/bin/receipt_check" "$tmp/c.db" "$tmp/final.receipts")

post2=$(ceiling 2)

echo "collector_bench: $conns connections over loopback, $(nproc) cores;" \
    "collector --min-fill-seconds 0 --rate-per-minute 0"
printf '%-36s %9s %9s %8s %8s %9s %9s\n' "" "acked/s" "HTTP/s" "p50 ms" \
    "p99 ms" "final p50" "final p99"
for r in "ceiling (before): POST->commit->303|$post1" \
    "ceiling (after)|$post2" \
    "collector: whole surveys|$survey" \
    "collector: final POSTs only|$final"; do
	name=${r%%|*}
	line=${r#*|}
	printf '%-36s %9s %9s %8s %8s %9s %9s\n' "$name" \
	    "$(field "$line" acked_per_s)" "$(field "$line" req_per_s)" \
	    "$(field "$line" p50_ms)" "$(field "$line" p99_ms)" \
	    "$(field "$line" final_p50_ms)" "$(field "$line" final_p99_ms)"
done
echo "raw: ceiling:   $post1"
echo "raw: ceiling:   $post2"
echo "raw: survey:    $survey"
echo "raw: final:     $final"
echo "receipts (whole surveys): $check_survey"
echo "receipts (final POSTs):   $check_final"

awk -v c="$(awk -v a="$(field "$post1" acked_per_s)" \
    -v b="$(field "$post2" acked_per_s)" 'BEGIN { print (a + b) / 2 }')" \
    -v s="$(field "$survey" acked_per_s)" \
    -v sh="$(field "$survey" req_per_s)" \
    -v f="$(field "$final" acked_per_s)" \
    -v sp99="$(field "$survey" p99_ms)" \
    -v fp99="$(field "$final" p99_ms)" 'BEGIN {
	printf "ceiling, mean of the two runs: %.0f POSTs/s\n", c
	printf "ratio final POSTs/s, collector / ceiling (like for like): %.2f (target >= 0.50)\n", f / c
	printf "ratio submissions/s, whole surveys / ceiling POSTs/s:      %.3f\n", s / c
	printf "ratio HTTP requests/s, whole surveys / ceiling:           %.2f\n", sh / c
	printf "p99 per request, whole surveys: %s ms; final POSTs only: %s ms (target < 20)\n", sp99, fp99
}'
case "$check_survey$check_final" in
*"missing=0"*"missing=0"*) ;;
*) echo "collector_bench: acknowledged receipts missing from the database" >&2
   exit 1 ;;
esac
