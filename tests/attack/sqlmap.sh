#!/bin/bash
# SQL injection attempts with sqlmap against every form endpoint of a real
# collector on loopback: the consent POST, each survey page POSTed with a
# valid sealed state, /resume, /withdraw, the consent page's and the
# thank-you page's query strings and, when the collector serves it, the
# researcher API (path and Bearer token). The rate limit is off so every
# payload reaches the handlers instead of a 429. Passes when sqlmap finishes
# every run and finds nothing injectable, the database passes
# PRAGMA integrity_check, and the attack changed no row.
#
# Environment: CANDOR_SRC (source tree), CANDOR_BIN (built binaries).
# Exit 77 (skipped) only when sqlmap, curl or sqlite3 is not installed.
set -u
src=${CANDOR_SRC:?}
bin=${CANDOR_BIN:?}
for tool in sqlmap curl sqlite3; do
	if ! command -v "$tool" >/dev/null; then
		echo "attack/sqlmap: $tool not installed: skipped"
		exit 77
	fi
done
dir=$(mktemp -d)
# Started as root, the collector runs as nobody and needs its database
# directory to be nobody's (collector/main.c).
if [ "$(id -u)" -eq 0 ]; then
	chown nobody: "$dir"
fi
pid=
cleanup() {
	if [ -n "$pid" ]; then
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	rm -rf "$dir"
}
trap cleanup EXIT
fail() {
	echo "attack/sqlmap: $*" >&2
	exit 1
}

db=$dir/candor.db
"$bin/collector" --form "$src/tests/collector/mini.json" --db "$db" \
	--port 0 --min-fill-seconds 0 --rate-per-minute 0 \
	>"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 50); do
	[ -s "$dir/out" ] && break
	sleep 0.1
done
port=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\)/$|\1|p' "$dir/out")
[ -n "$port" ] || fail "the collector did not start: $(cat "$dir/err")"
base=http://127.0.0.1:$port

# POST urlencoded data to /s/mini; print the state of the page answered.
state_after() {
	# Every step answers 303 to its page (Post/Redirect/Get): follow it.
	curl -s -L --max-time 10 --data "$1" "$base/s/mini" |
		sed -n 's/.*name="state" value="\([^"]*\)".*/\1/p' | head -1
}
consent="lang=en&consent=1&adult=1&action=start&website="
s1=$(state_after "$consent")
s2=$(state_after "state=$s1&action=next&pain=6&used_kratom=0&website=")
s3=$(state_after "state=$s2&action=next&symptoms=1&symptoms=3&age_band=2&website=")
[ -n "$s1" ] && [ -n "$s2" ] && [ -n "$s3" ] || fail "cannot walk the survey"
# Three honest responses, so the attack has rows to destroy or read.
receipt=
for _ in 1 2 3; do
	a=$(state_after "$consent")
	b=$(state_after "state=$a&action=next&pain=4&used_kratom=0&website=")
	c=$(state_after "state=$b&action=next&symptoms=2&age_band=1&website=")
	loc=$(curl -s --max-time 10 -o /dev/null -w '%{redirect_url}' \
		--data "state=$c&action=submit&fn_walk=0&fn_work=1&website=" \
		"$base/s/mini")
	receipt=${loc#*\?t=}
done
[ -n "$receipt" ] || fail "cannot submit"

counts() {
	sqlite3 "file:$db?mode=ro" \
		"SELECT (SELECT count(*) FROM response) || ' ' ||
		        (SELECT count(*) FROM draft) || ' ' ||
		        (SELECT group_concat(hex(receipt_hash)) FROM
		         (SELECT receipt_hash FROM response ORDER BY 1))"
}
before=$(counts)

# Bounded: level 3 (GET and POST parameters, cookies, User-Agent and Referer;
# custom "*" marks at any level), risk 2 (adds heavy time-based queries), the
# backend named (SQLite) so every payload is one that could work here, one
# second for time-based tests. About a minute and a half on two cores.
common=(--batch --disable-coloring --flush-session --dbms=SQLite
	--level=3 --risk=2 --time-sec=1 --timeout=10 --retries=1
	--output-dir="$dir/sqlmap")
runs=0
found=0
attack() {
	local name=$1
	shift
	local log=$dir/sqlmap-$runs.log
	runs=$((runs + 1))
	timeout 600 sqlmap "${common[@]}" "$@" >"$log" 2>&1
	local rc=$?
	if ! kill -0 "$pid" 2>/dev/null; then
		wait "$pid"
		local st=$?
		pid=
		fail "$name: the collector died (exit status $st; 128 + signal" \
			"number, 159 is SIGSYS from the seccomp filter); its log:" \
			"$(cat "$dir/err")"
	fi
	if grep -qiE "identified the following injection point|is vulnerable|sqlmap resumed the following injection" "$log"; then
		echo "attack/sqlmap: $name: INJECTABLE" >&2
		grep -iE "Parameter:|Type:|Payload:" "$log" >&2
		found=$((found + 1))
	elif ! grep -q "do not appear to be injectable" "$log"; then
		echo "attack/sqlmap: $name: sqlmap did not finish (exit $rc):" >&2
		grep -E "CRITICAL|ERROR" "$log" | head -5 >&2
		found=$((found + 1))
	else
		echo "attack/sqlmap: $name: $(grep -c 'does not seem to be injectable' "$log") parameter(s), nothing injectable"
	fi
}

attack "consent POST" -u "$base/s/mini" --data "$consent"
attack "page 1 POST" -u "$base/s/mini" \
	--data "state=$s1&action=next&pain=6&used_kratom=0&website="
attack "page 2 POST" -u "$base/s/mini" \
	--data "state=$s2&action=next&symptoms=1&age_band=2&website="
attack "page 3 POST" -u "$base/s/mini" \
	--data "state=$s3&action=back&fn_walk=1&fn_work=2&website="
attack "resume POST" -u "$base/resume" \
	--data "code=7Q3K-9M2P-4X8V-1B6N-5C0D-HJ&lang=en"
attack "withdraw POST" -u "$base/withdraw" \
	--data "code=7Q3K-9M2P-4X8V-1B6N-5C0D-HJ&lang=en"
attack "consent page query" -u "$base/s/mini?lang=en"
# The receipt is shown once: every later fetch of its URL, and every
# made-up ticket, is a 404, which sqlmap must take as an answer.
attack "thank-you query" --ignore-code=404 -u "$base/s/mini/thanks?t=$receipt"
# The page a step redirects to (Post/Redirect/Get) takes a ticket too.
step=$(curl -s --max-time 10 -o /dev/null -w '%{redirect_url}' \
	--data "$consent" "$base/s/mini")
step=${step#*\?v=}
[ -n "$step" ] || fail "no step URL"
attack "step page query" --ignore-code=404 -u "$base/s/mini/p?v=$step"

# The researcher API, when this collector has it.
api=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' "$base/api/v1/forms")
if [ "$api" = 401 ] && [ -x "$bin/analysis" ]; then
	tok=$("$bin/analysis" token create --db "$db" --role export \
		--label attack 2>"$dir/tok.err" | grep -o 'cnd_[A-Za-z0-9_.~-]*' | head -1)
	[ -n "$tok" ] || fail "analysis token create: $(cat "$dir/tok.err")"
	before=$(counts) # the token is no response; recount to be exact
	attack "API forms list, token" -u "$base/api/v1/forms" \
		-H "Authorization: Bearer $tok*" --ignore-code=401
	attack "API summary, path and token" \
		-u "$base/api/v1/forms/mini*/summary" -H "Authorization: Bearer $tok*" --ignore-code=401
	attack "API export, path and token" \
		-u "$base/api/v1/forms/mini*/export" -H "Authorization: Bearer $tok*" --ignore-code=401
else
	echo "attack/sqlmap: no researcher API here (/api/v1/forms answered $api): not attacked"
fi

after=$(counts)
integrity=$(sqlite3 "file:$db?mode=ro" "PRAGMA integrity_check")
curl -s --max-time 10 "$base/healthz" | grep -q ok ||
	fail "the collector stopped serving; its log: $(cat "$dir/err")"
[ "$integrity" = ok ] || fail "integrity_check: $integrity"
[ "$before" = "$after" ] || fail "rows changed by the attack: before [$before], after [$after]"
[ "$found" -eq 0 ] && [ "$runs" -gt 0 ] || fail "$found of $runs runs failed"
echo "attack/sqlmap: $runs runs, nothing injectable; integrity ok; rows unchanged (${after%% *})"
