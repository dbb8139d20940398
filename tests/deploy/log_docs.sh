#!/usr/bin/env bash
# Every line the collector logs while it runs, and its lifecycle lines, are
# documented in docs/operations.md ("Logs, and what to do"). The format
# strings are read from the sources: the text before the first conversion
# (or the whole string) must appear in the table.
# Usage: log_docs.sh SOURCE_DIR
set -euo pipefail
src=$1
doc=$src/docs/operations.md
status=0
{
	# http_log(c, "format", ...): the first string literal of the call.
	grep -ho 'http_log([^"]*"[^"]*"' "$src"/collector/*.c | sed 's/^[^"]*"//; s/"$//'
	# main.c's lifecycle lines.
	grep -ho 'fprintf(stderr, "collector: \(started\|stopping\|stopped\|file confinement\)[^"]*"' \
	    "$src/collector/main.c" | sed 's/^[^"]*"collector: //; s/\\n"$//; s/"$//'
} | sort -u > "${TMPDIR:-/tmp}/log_docs.$$"
n=0
while IFS= read -r fmt; do
	n=$((n + 1))
	key=${fmt%%%*}
	key=${key%% }
	[ -n "$key" ] || continue
	if ! grep -qF -- "$key" "$doc"; then
		echo "log_docs: $doc: the log line \"$fmt\" is not documented" >&2
		status=1
	fi
done < "${TMPDIR:-/tmp}/log_docs.$$"
rm -f "${TMPDIR:-/tmp}/log_docs.$$"
[ "$n" -ge 10 ] || { echo "log_docs: only $n log lines found in the sources" >&2; exit 1; }
exit $status
