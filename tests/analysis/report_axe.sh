#!/bin/sh
# The report of the default survey (1,500 synthetic responses), and of the
# report fixture under a plan with every kind of section, checked with
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
art=${CANDOR_ARTIFACTS:-$bin/../artifacts/report-axe}
CANDOR_ARTIFACTS=$art node "$src/tests/analysis/report_axe.mjs" "$dir/rep"
# The report fixture with a plan that fills every section: comparisons
# with their forest plots, correlations, adjusted models, paired answers,
# a factor and strata.
"$bin/analysis" import --form "$src/tests/analysis/data/report_form_v1.json" \
	--db "$dir/f.db" --csv "$src/tests/analysis/data/report_fixture.csv" >/dev/null
cat >"$dir/plan.json" <<'EOF'
{"outcomes": ["peg", "phq8", "fm_2016"],
 "groups": [{"name": "kr", "label": "Kratom now vs never", "a_label": "kratom now",
   "b_label": "never kratom", "a": {"var": "kratom_use", "eq": 2},
   "b": {"var": "kratom_use", "eq": 0}}],
 "paired": [{"name": "pain_enjoy", "x": "peg_pain", "y": "peg_enjoy"}],
 "factors": [{"name": "age", "var": "age_band"}],
 "strata": ["sex"], "covariates": ["age_band"]}
EOF
"$bin/analysis" report --form "$src/tests/analysis/data/report_form_v1.json" \
	--db "$dir/f.db" --plan "$dir/plan.json" --out "$dir/plan-rep" --no-ledger >/dev/null
CANDOR_ARTIFACTS=$art/plan node "$src/tests/analysis/report_axe.mjs" "$dir/plan-rep"
