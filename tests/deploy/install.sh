#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then run the installed
# programs from there: the form check, a codebook, and a collector that
# serves the installed default survey. The installed systemd units pass
# `systemd-analyze verify` (their man: links resolve to the installed man
# pages) and their exposure score stays at most 2.0.
# Usage: install.sh BUILD_DIR
set -euo pipefail
build=$1
t=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$t"' EXIT
fail() { echo "install.sh: $*" >&2; exit 1; }

cmake --install "$build" --prefix "$t/p" >"$t/install.log" ||
	fail "cmake --install failed: $(tail -3 "$t/install.log")"
for f in bin/collector bin/analysis \
	share/candor/forms/fibromyalgia-therapies.json \
	share/man/man1/collector.1 share/man/man1/analysis.1 \
	share/doc/candor/README.md share/doc/candor/operations.md \
	share/doc/candor/security.md share/candor/deploy/candor-nginx.conf \
	lib/systemd/system/candor-collector.service \
	lib/systemd/system/candor-backup.service \
	lib/systemd/system/candor-backup.timer; do
	[ -e "$t/p/$f" ] || fail "$f: not installed"
done
grep -q "ExecStart=$t/p/bin/collector" \
	"$t/p/lib/systemd/system/candor-collector.service" ||
	fail "the unit does not run the installed collector"
grep -q "$t/p/share/candor/forms/fibromyalgia-therapies.json" \
	"$t/p/lib/systemd/system/candor-collector.service" ||
	fail "the unit does not serve the installed form"

# The installed programs run from the prefix, away from the build tree.
cd "$t"
"$t/p/bin/collector" --check-form \
	"$t/p/share/candor/forms/fibromyalgia-therapies.json" >/dev/null ||
	fail "installed collector rejects the installed form"
"$t/p/bin/analysis" codebook --form \
	"$t/p/share/candor/forms/fibromyalgia-therapies.json" >"$t/cb.md" ||
	fail "installed analysis codebook failed"
grep -q "kratom" "$t/cb.md" || fail "codebook lacks the default survey"
for m in collector analysis; do
	MANWIDTH=80 man -l "$t/p/share/man/man1/$m.1" >"$t/$m.txt" 2>/dev/null ||
		fail "$m.1 does not format"
	grep -q "EXIT STATUS" "$t/$m.txt" || fail "$m.1 has no exit status"
done

mkdir -m 0700 "$t/data"
if [ "$(id -u)" -eq 0 ]; then
	chown nobody: "$t/data"
	chmod 0711 "$t"
fi
"$t/p/bin/collector" --form \
	"$t/p/share/candor/forms/fibromyalgia-therapies.json" \
	--db "$t/data/candor.db" --port 0 >"$t/out" 2>"$t/err" &
pid=$!
for _ in $(seq 100); do
	grep -q "^listening on" "$t/out" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || fail "installed collector exited: $(cat "$t/err")"
	sleep 0.1
done
port=$(sed -n 's/^listening on http:\/\/127.0.0.1:\([0-9]*\)\/$/\1/p' "$t/out")
[ -n "$port" ] || fail "installed collector did not start: $(cat "$t/err")"
code=$(curl -s -o "$t/page" -w '%{http_code}' "http://127.0.0.1:$port/")
[ "$code" = 200 ] || fail "GET / answered $code"
kill -TERM "$pid"
wait "$pid" || fail "installed collector did not stop cleanly"
pid=

# The unit's own command line starts a collector (its flags are valid
# together): the same ExecStart=, with the state directory and the two
# ports moved into this test's reach.
unit="$t/p/lib/systemd/system/candor-collector.service"
cmd=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$unit" | sed 's/^ExecStart=//; s/\\$//' |
	tr '\n\t' '  ')
cmd=${cmd//\/var\/lib\/candor/$t\/data}
cmd=${cmd//--port 8080/--port 0}
cmd=${cmd//--admin-port 9090/--admin-port 0}
case $cmd in *--behind-proxy*) ;; *) fail "the unit does not run --behind-proxy" ;; esac
rm -f "$t/out"
# shellcheck disable=SC2086
$cmd >"$t/out" 2>"$t/err" &
pid=$!
for _ in $(seq 100); do
	grep -q "^listening on" "$t/out" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || fail "the unit's ExecStart exited: $(cat "$t/err")"
	sleep 0.1
done
grep -q "^listening on http://127.0.0.1:" "$t/out" ||
	fail "the unit's ExecStart did not start: $(cat "$t/err")"
kill -TERM "$pid"
wait "$pid" || fail "the unit's collector did not stop cleanly"
pid=

# The units, as systemd reads them.
if command -v systemd-analyze >/dev/null; then
	units="$t/p/lib/systemd/system"
	MANPATH="$t/p/share/man" systemd-analyze verify \
		"$units/candor-collector.service" "$units/candor-backup.service" \
		"$units/candor-backup.timer" 2>"$t/verify" ||
		fail "systemd-analyze verify: $(cat "$t/verify")"
	[ ! -s "$t/verify" ] || fail "systemd-analyze verify warns: $(cat "$t/verify")"
	for u in candor-collector.service candor-backup.service; do
		score=$(systemd-analyze security --offline=yes "$units/$u" 2>/dev/null |
			sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
		[ -n "$score" ] || fail "$u: no exposure score"
		awk -v s="$score" 'BEGIN { exit !(s <= 2.0) }' ||
			fail "$u: exposure $score above 2.0"
		echo "$u: exposure $score"
	done
else
	fail "systemd-analyze not found (Debian package systemd)"
fi
echo "install.sh: ok"
