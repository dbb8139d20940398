#!/bin/sh
# The report of the default survey (1,500 synthetic responses) checked with
# axe-core in headless Chromium at 360 and 1280 px (report_axe.mjs): no
# violation, no best-practice finding, no sideways scrolling at 360 px.
# Screenshots go to CANDOR_ARTIFACTS (default BIN_DIR/../artifacts/report-axe).
# Usage: report_axe.sh SRC_DIR BIN_DIR. Skips (exit 77) without chromium,
# node or tests/browser/node_modules (npm ci there).
set -eu
src=$1
bin=$2
command -v chromium >/dev/null 2>&1 || { echo "chromium not found: skipped"; exit 77; }
command -v node >/dev/null 2>&1 || { echo "node not found: skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
[ -d "$src/tests/browser/node_modules/axe-core" ] &&
	[ -d "$src/tests/browser/node_modules/playwright-core" ] ||
	{ echo "run npm ci in tests/browser: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$src/scripts/synth.py" --form "$src/forms/fibromyalgia-therapies.json" \
	--n 1500 --seed 7 --out "$dir/synth.csv"
"$bin/analysis" import --form "$src/forms/fibromyalgia-therapies.json" \
	--db "$dir/c.db" --csv "$dir/synth.csv" >/dev/null
"$bin/analysis" report --form "$src/forms/fibromyalgia-therapies.json" \
	--db "$dir/c.db" --out "$dir/rep" --no-ledger >/dev/null
CANDOR_ARTIFACTS=${CANDOR_ARTIFACTS:-$bin/../artifacts/report-axe} \
	node "$src/tests/analysis/report_axe.mjs" "$dir/rep"
