#!/usr/bin/env bash
# The man pages state every flag the programs' --help states, and no flag
# the programs do not take. Usage: man_sync.sh BIN_DIR MAN_DIR
set -euo pipefail
bin=$1 man=$2
status=0
flags_of_help() { grep -o -- '--[a-z][a-z-]*' | sort -u; }
flags_of_man() { sed 's/\\-/-/g' "$1" | grep -o -- '--[a-z][a-z-]*' | sort -u; }

check() { # name, help flags file, man page
	local missing extra
	missing=$(comm -23 "$2" <(flags_of_man "$3"))
	extra=$(comm -13 "$2" <(flags_of_man "$3"))
	if [ -n "$missing" ]; then
		echo "man_sync: $3: flags of \"$1 --help\" not in the man page:" $missing >&2
		status=1
	fi
	if [ -n "$extra" ]; then
		echo "man_sync: $3: flags in the man page that \"$1 --help\" does not state:" $extra >&2
		status=1
	fi
}

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$bin/collector" --help | flags_of_help >"$t/collector"
check collector "$t/collector" "$man/collector.1"

"$bin/analysis" --help >"$t/top"
cmds=$(sed -n 's/^  \([a-z][a-z-]*\( [a-z]*\)\?\)  .*/\1/p' "$t/top" |
	sed 's/ *$//')
[ -n "$cmds" ] || { echo "man_sync: no commands in analysis --help" >&2; exit 1; }
: >"$t/all"
page=$(sed 's/\\-/-/g' "$man/analysis.1")
while IFS= read -r c; do
	# shellcheck disable=SC2086
	"$bin/analysis" $c --help >>"$t/all"
	# grep reads to the end (no -q): under pipefail, a grep that quits at
	# the first match would fail the pipeline by sed's SIGPIPE.
	sed 's/\\-/-/g' "$man/analysis.1" | grep "^\.SS .*${c%% *}" >/dev/null || {
		echo "man_sync: analysis.1: no section for \"$c\"" >&2
		status=1
	}
done <<<"$cmds"
echo "--help" >>"$t/all"
flags_of_help <"$t/all" >"$t/analysis"
check analysis "$t/analysis" "$man/analysis.1"
[ "$status" -eq 0 ] && echo "man_sync: ok"
exit "$status"
