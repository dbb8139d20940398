#!/usr/bin/env bash
# Refuse unsafe libc calls in the project's C sources (as curl's checksrc):
# sprintf, vsprintf, strcpy, strcat, strncat, atoi, atol, strtok, gets.
# Usage: scripts/checksrc.sh [DIR...]; exit 1 with file:line for each hit.
set -u
cd "$(dirname "$0")/.."
dirs=("$@")
[ ${#dirs[@]} -eq 0 ] && dirs=(forms store collector analysis tests fuzz bench)
pattern='(^|[^a-z_0-9])(sprintf|vsprintf|strcpy|strcat|strncat|atoi|atol|strtok|gets)[[:space:]]*\('
hits=$(grep -rnE --include='*.c' --include='*.h' "$pattern" "${dirs[@]}" 2>/dev/null)
if [ -n "$hits" ]; then
	printf '%s\n' "$hits"
	echo "checksrc: banned function(s) above; use snprintf, memcpy with a length, strtol" >&2
	exit 1
fi
echo "checksrc: ok"
