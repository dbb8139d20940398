#!/usr/bin/env bash
# Every field the collector reads from a POST (post_get) or renders as a
# form control (<input>, <button>, <select>, <textarea> name=...) is one
# the form loader reserves (forms/form.c, reserved_vars), so that no form
# variable can be posted under the same name. Usage: reserved_vars.sh SRC
set -euo pipefail
src=$1
status=0
table=$(sed -n '/^static const char \*const reserved_vars\[\]/,/^};/p' "$src/forms/form.c")
[ -n "$table" ] || { echo "reserved_vars: no table in forms/form.c" >&2; exit 1; }
names=$( {
	grep -ho 'post_get(&r->post, "[a-z_]*")' "$src"/collector/*.c |
	    sed 's/.*"\([a-z_]*\)")/\1/'
	grep -ho '<\(input\|button\|select\|textarea\) [^>]*name=\\"[a-z_]*\\"' \
	    "$src"/collector/*.c | sed 's/.*name=\\"\([a-z_]*\)\\"/\1/'
} | sort -u)
n=0
for v in $names; do
	n=$((n + 1))
	if ! grep -q "\"$v\"," <<<"$table"; then
		echo "reserved_vars: the collector's field \"$v\" is not reserved in forms/form.c" >&2
		status=1
	fi
done
[ "$n" -ge 5 ] || { echo "reserved_vars: only $n fields found in the sources" >&2; exit 1; }
exit $status
