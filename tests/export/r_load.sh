#!/bin/sh
# A row-level export opened in R: synthetic responses to the default survey
# are imported, exported with --format r, and r_check.R sources load.R and
# compares it with the imported CSV read directly (an independent path).
# Usage: r_load.sh SOURCE_DIR BIN_DIR. Exit 77 when Rscript is absent.
set -eu
src=$1
bin=$2
command -v Rscript >/dev/null 2>&1 || { echo "Rscript not found"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
form=$src/forms/fibromyalgia-therapies.json
python3 "$src/scripts/synth.py" --form "$form" --n 3000 --seed 21 \
	--out "$tmp/in.csv"
"$bin/analysis" import --form "$form" --db "$tmp/db.sqlite" \
	--csv "$tmp/in.csv" >/dev/null
# Two settings: generalization only (age_band to its 10-year bands), and
# local suppression with sex kept at its own codes.
for opts in "5 0" "10 20"; do
	set -- $opts
	out=$tmp/r-$1-$2
	"$bin/analysis" export --db "$tmp/db.sqlite" --form "$form" \
		--format r --out "$out" --k "$1" --max-suppress "$2"
	Rscript "$src/tests/export/r_check.R" "$out" "$tmp/in.csv"
done
