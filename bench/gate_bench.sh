#!/bin/sh
# The publication gate's share of `analysis report` (bench/README.md).
#
#   bench/gate_bench.sh [n=1000000] [seed=1]
#
# Builds gate_bench and analysis in a Release directory
# (CANDOR_BENCH_BUILD, default build-bench), generates n seeded synthetic
# responses to the default survey and imports them (cached in
# CANDOR_BENCH_CACHE, shared with analysis_bench.sh), then runs
# gate_bench with the default plan: the time of reading, building (the
# gate included) and writing the report, and the gate's own time.
set -eu

n=${1:-1000000}
seed=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CANDOR_BENCH_BUILD:-$root/build-bench}
cache=${CANDOR_BENCH_CACHE:-${TMPDIR:-/tmp}/candor-bench-cache}
form=$root/forms/fibromyalgia-therapies.json

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCANDOR_WERROR=OFF \
    >/dev/null
cmake --build "$build" -j2 --target analysis gate_bench >/dev/null
mkdir -p "$cache"
csv=$cache/synth-$n-$seed.csv
db=$cache/synth-$n-$seed.db
if [ ! -f "$csv" ]; then
	/usr/bin/python3 "$root/scripts/synth.py" --form "$form" --n "$n" \
	    --seed "$seed" --out "$csv.tmp"
	mv "$csv.tmp" "$csv"
fi
if [ ! -f "$db" ]; then
	rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
	"$build/bin/analysis" import --form "$form" --db "$db.tmp" \
	    --csv "$csv" >/dev/null
	mv "$db.tmp" "$db"
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gate_bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
echo "gate_bench: $n responses (seed $seed), $(nproc) cores"
"$build/bin/gate_bench" "$db" "$form" - "$tmp/out"
