#!/bin/sh
# `analysis report` against base R and pandas, side by side in one run
# (bench/README.md).
#
#   bench/analysis_bench.sh [n=1000000] [seed=1]
#
# Builds `analysis` in a Release directory (CANDOR_BENCH_BUILD, default
# build-bench). Generates n seeded synthetic responses to the default survey
# (scripts/synth.py) as a CSV and imports them into a database, both cached
# in CANDOR_BENCH_CACHE (default $TMPDIR/candor-bench-cache) so that later
# runs skip it. Then times, each under /usr/bin/time -v:
#   candor bench   analysis report --plan bench/plan_bench.json (what R and
#                  pandas compute, and the report's own descriptions)
#   candor full    analysis report with the default plan
#   R              Rscript bench/ref.R (base R, read.csv)
#   pandas         /usr/bin/python3 bench/ref.py (pandas + scipy)
# and checks that the values printed by all three agree to 1e-9 relative.
set -eu

n=${1:-1000000}
seed=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CANDOR_BENCH_BUILD:-$root/build-bench}
cache=${CANDOR_BENCH_CACHE:-${TMPDIR:-/tmp}/candor-bench-cache}
form=$root/forms/fibromyalgia-therapies.json
py=/usr/bin/python3

for tool in Rscript /usr/bin/time; do
	if ! command -v "$tool" >/dev/null; then
		echo "analysis_bench: $tool is needed (scripts/deps.sh test)" >&2
		exit 1
	fi
done
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build" -j2 --target analysis >/dev/null
analysis=$build/bin/analysis

mkdir -p "$cache"
csv=$cache/synth-$n-$seed.csv
db=$cache/synth-$n-$seed.db
if [ ! -f "$csv" ]; then
	echo "analysis_bench: generating $csv" >&2
	"$py" "$root/scripts/synth.py" --form "$form" --n "$n" --seed "$seed" \
	    --out "$csv.tmp"
	mv "$csv.tmp" "$csv"
fi
if [ ! -f "$db" ]; then
	echo "analysis_bench: importing into $db" >&2
	rm -f "$db.tmp" "$db.tmp-wal" "$db.tmp-shm"
	"$analysis" import --form "$form" --db "$db.tmp" --csv "$csv" >/dev/null
	mv "$db.tmp" "$db"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/analysis_bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/bench" "$tmp/full"

# run NAME CMD...: time one program; its stdout goes to $tmp/NAME.out.
run() {
	name=$1
	shift
	/usr/bin/time -v -o "$tmp/$name.time" "$@" >"$tmp/$name.out" \
	    2>"$tmp/$name.err" || {
		echo "analysis_bench: $name failed:" >&2
		cat "$tmp/$name.err" >&2
		exit 1
	}
}
# wall, cpu, peak NAME: wall seconds, CPU seconds, peak MiB from time -v.
wall() {
	sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' \
	    "$tmp/$1.time" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++)
	    s = s * 60 + $i; printf "%.2f", s }'
}
cpu() {
	awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' \
	    "$tmp/$1.time"
}
peak() {
	awk -F': ' '/Maximum resident/ { printf "%.0f", $2 / 1024 }' \
	    "$tmp/$1.time"
}

run candor_bench "$analysis" report --db "$db" --form "$form" \
    --plan "$root/bench/plan_bench.json" --out "$tmp/bench"
run candor_full "$analysis" report --db "$db" --form "$form" \
    --out "$tmp/full"
run R Rscript "$root/bench/ref.R" "$csv"
run pandas "$py" "$root/bench/ref.py" "$csv"
"$py" "$root/bench/report_values.py" "$tmp/bench/report.json" \
    >"$tmp/candor.out"

csv_mb=$(($(wc -c <"$csv") / 1048576))
db_mb=$(($(wc -c <"$db") / 1048576))
echo "analysis_bench: $n responses (seed $seed), $(nproc) cores;" \
    "CSV $csv_mb MiB, database $db_mb MiB"
printf '%-40s %9s %9s %10s %10s\n' "" "wall s" "CPU s" "peak MiB" \
    "peak/CSV"
for r in "candor_bench|analysis report, bench plan" \
    "candor_full|analysis report, default plan" \
    "R|R (read.csv + base stats)" "pandas|pandas + scipy"; do
	k=${r%%|*}
	printf '%-40s %9s %9s %10s %10s\n' "${r#*|}" "$(wall "$k")" \
	    "$(cpu "$k")" "$(peak "$k")" \
	    "$(awk -v p="$(peak "$k")" -v c="$csv_mb" \
	    'BEGIN { printf "%.2f", p / c }')"
done
awk -v c="$(wall candor_bench)" -v f="$(wall candor_full)" \
    -v r="$(wall R)" -v p="$(wall pandas)" 'BEGIN {
	printf "R / candor (bench plan):      %6.2fx   (target >= 10)\n", r / c
	printf "pandas / candor (bench plan): %6.2fx   (target >= 10)\n", p / c
	printf "R / candor (default plan):    %6.2fx\n", r / f
	printf "pandas / candor (default plan): %4.2fx\n", p / f
}'

echo "statistics computed (numeric summaries, frequency tables):" \
    "candor $(sed -n 's/^computed.numeric //p' "$tmp/candor.out")," \
    "$(sed -n 's/^computed.categorical //p' "$tmp/candor.out");" \
    "R $(sed -n 's/^computed.numeric //p' "$tmp/R.out")," \
    "$(sed -n 's/^computed.categorical //p' "$tmp/R.out");" \
    "pandas $(sed -n 's/^computed.numeric //p' "$tmp/pandas.out")," \
    "$(sed -n 's/^computed.categorical //p' "$tmp/pandas.out")"
echo "agreement (relative difference to candor, limit 1e-9):"
grep -v '^computed' "$tmp/candor.out" | sort >"$tmp/c.s"
grep -v '^computed' "$tmp/R.out" | sort >"$tmp/r.s"
grep -v '^computed' "$tmp/pandas.out" | sort >"$tmp/p.s"
join "$tmp/c.s" "$tmp/r.s" | join - "$tmp/p.s" | awk '
function rel(a, b) { d = a - b; if (d < 0) d = -d; m = a < 0 ? -a : a
	return m > 0 ? d / m : d }
BEGIN { printf "  %-26s %-24s %-24s %-24s %9s %9s\n", "value", "candor", "R",
	"pandas", "rel R", "rel pd"; bad = 0; k = 0 }
{ k++; a = rel($2, $3); b = rel($2, $4)
  printf "  %-26s %-24s %-24s %-24s %9.1e %9.1e\n", $1, $2, $3, $4, a, b
  if (a > 1e-9 || b > 1e-9) bad++ }
END { if (k < 30 || bad) { printf "analysis_bench: %d of %d values disagree\n",
	bad, k; exit 1 }
      printf "all %d values agree\n", k }'
