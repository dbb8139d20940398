#!/bin/sh
# Crash safety at length: the collector is killed with SIGKILL at 100 random
# moments (or KILLS) while client threads submit and withdraw, and restarted
# on the same database each time; then every acknowledged submission must be
# present, every acknowledged withdrawal absent, and PRAGMA integrity_check
# "ok". This is tests/collector/test_crash_kill.c with more kills; a run
# prints one summary line and exits non-zero on any loss.
#
#     bench/crash_bench.sh [build-dir=build] [kills=100] [seed=clock] [clients=6]
#
# Run from the repository root. With RESULTS=path the summary is also
# appended to that file as a Markdown section.
set -eu
build=${1:-build}
kills=${2:-100}
seed=${3:-$(date +%s)}
clients=${4:-6}
bin=$build/tests/test_crash_kill
if [ ! -x "$bin" ]; then
	echo "crash_bench: $bin: not built (cmake --build $build)" >&2
	exit 2
fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
CANDOR_SRC=$(pwd) CANDOR_BIN=$build/bin "$bin" "$kills" "$seed" "$clients" \
	>"$log" 2>&1 || status=$?
summary=$(grep '^crash_kill: seed' "$log" || true)
grep -v '^round ' "$log" >&2 || true
echo "$summary"
if [ -n "${RESULTS:-}" ]; then
	{
		echo "## Run of $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -sr)"
		echo
		echo "Command: \`bench/crash_bench.sh $build $kills $seed $clients\`"
		echo "(exit status $status)."
		echo
		echo '```'
		echo "$summary"
		echo '```'
		echo
	} >>"$RESULTS"
fi
exit "$status"
