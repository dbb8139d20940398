#!/bin/sh
# Render report.html of the default survey with synthetic data in headless
# Chromium and check that the screenshot exists and is not trivial (more
# than 20 KB). Usage: report_screenshot.sh SRC_DIR BIN_DIR [KEEP_PNG]
# Skips (exit 77) when chromium is not installed.
set -eu
src=$1
bin=$2
keep=${3:-}
command -v chromium >/dev/null 2>&1 || { echo "chromium not found: skipped"; exit 77; }
command -v python3 >/dev/null 2>&1 || { echo "python3 not found: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 "$src/scripts/synth.py" --form "$src/forms/fibromyalgia-therapies.json" \
	--n 1500 --seed 7 --out "$dir/synth.csv"
"$bin/analysis" import --form "$src/forms/fibromyalgia-therapies.json" \
	--db "$dir/c.db" --csv "$dir/synth.csv" >/dev/null
"$bin/analysis" report --form "$src/forms/fibromyalgia-therapies.json" \
	--db "$dir/c.db" --out "$dir/rep" >/dev/null
chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --no-first-run \
	--user-data-dir="$dir/profile" --screenshot="$dir/out.png" \
	--window-size=1280,2000 "file://$dir/rep/report.html" >/dev/null 2>&1 || true
[ -f "$dir/out.png" ] || { echo "no screenshot written"; exit 1; }
size=$(wc -c <"$dir/out.png")
echo "screenshot: $size bytes"
[ -n "$keep" ] && cp "$dir/out.png" "$keep"
[ "$size" -gt 20480 ] || { echo "screenshot too small"; exit 1; }
