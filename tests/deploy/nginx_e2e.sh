#!/usr/bin/env bash
# deploy/candor-nginx.conf in front of a real collector (--behind-proxy on
# loopback), end to end over HTTPS: a throwaway certificate for the
# configured name, the shipped file turned into a runnable one for an
# nginx that is not root (high ports, pid, logs and temporary files in a
# temporary directory, that certificate) by sed alone, so every privacy
# directive of the shipped file is kept (checked below). curl then takes
# the mini survey through nginx with a distinctive user agent: consent,
# "save and continue later", resume with the code, submit, the receipt;
# a second submission is withdrawn with its receipt code. Afterwards the
# responses are in the database (one kept, one withdrawn), and neither
# nginx's logs nor the collector's output hold the user agent or the
# client address 127.0.0.1.
# Usage: nginx_e2e.sh SOURCE_DIR BIN_DIR
set -euo pipefail
src=$1 bin=$2
conf=$src/deploy/candor-nginx.conf
form=$src/tests/collector/mini.json
name=survey.example.org
ua="CandorProbeAgent/7.3 (e2e; zq-unique-9f3b)"
fail() { echo "nginx_e2e.sh: $*" >&2; exit 1; }
skip() { echo "nginx_e2e.sh: skipped: $*" >&2; exit 77; }
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$nginx" ] || skip "nginx not found (Debian package nginx)"
for c in curl openssl sqlite3 python3; do
	command -v "$c" >/dev/null || skip "$c not found"
done

t=$(mktemp -d)
cpid= npid=
cleanup() {
	[ -n "$npid" ] && kill -TERM "$npid" 2>/dev/null && wait "$npid" 2>/dev/null
	[ -n "$cpid" ] && kill -TERM "$cpid" 2>/dev/null && wait "$cpid" 2>/dev/null
	rm -rf "$t"
}
trap cleanup EXIT
chmod 0711 "$t"
mkdir -m 0700 "$t/data" "$t/nginx"

# Two free loopback ports for nginx (HTTPS and the plain redirect).
read -r p443 p80 < <(python3 -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')

# --- the collector, on loopback, behind the proxy ---
if [ "$(id -u)" -eq 0 ]; then
	chown nobody: "$t/data"
fi
"$bin/collector" --form "$form" --db "$t/data/candor.db" --bind 127.0.0.1 \
	--port 0 --behind-proxy --min-fill-seconds 0 \
	>"$t/collector.out" 2>"$t/collector.err" &
cpid=$!
for _ in $(seq 100); do
	grep -q "^listening on" "$t/collector.out" 2>/dev/null && break
	kill -0 "$cpid" 2>/dev/null || fail "collector exited: $(cat "$t/collector.err")"
	sleep 0.1
done
cport=$(sed -n 's/^listening on http:\/\/127.0.0.1:\([0-9]*\)\/$/\1/p' "$t/collector.out")
[ -n "$cport" ] || fail "collector did not start: $(cat "$t/collector.err")"

# --- nginx, from the shipped file ---
n=$t/nginx
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=$name" \
	-addext "subjectAltName=DNS:$name" \
	-keyout "$n/key.pem" -out "$n/cert.pem" 2>/dev/null
sed -e "s#/etc/ssl/candor/fullchain.pem#$n/cert.pem#" \
	-e "s#/etc/ssl/candor/privkey.pem#$n/key.pem#" \
	-e "s#/var/log/nginx/#$n/#" \
	-e "s#server 127.0.0.1:8080;#server 127.0.0.1:$cport;#" \
	-e "s#listen 80;#listen 127.0.0.1:$p80;#" \
	-e "s#listen 443 ssl http2;#listen 127.0.0.1:$p443 ssl http2;#" \
	-e '/listen \[::\]:/d' "$conf" >"$n/candor.conf"
# Nothing but the addresses, ports and paths may differ from the shipped
# file: every other line is there, unchanged (nginx_conf.sh checks what
# those lines promise).
diff <(grep -v 'listen\|ssl_certificate\|/var/log/nginx/\|server 127' "$conf") \
	<(grep -v "listen\|ssl_certificate\|$n/\|server 127" "$n/candor.conf") \
	>/dev/null || fail "the rendered configuration lost a line of the shipped one"
grep -q "server 127.0.0.1:$cport;" "$n/candor.conf" || fail "upstream not rendered"
cat >"$n/nginx.conf" <<CONF
pid $n/nginx.pid;
error_log $n/main-error.log;
worker_processes 1;
daemon off;
events {}
http {
	access_log $n/main-access.log;
	client_body_temp_path $n/body;
	proxy_temp_path $n/proxy;
	fastcgi_temp_path $n/fastcgi;
	uwsgi_temp_path $n/uwsgi;
	scgi_temp_path $n/scgi;
	include $n/candor.conf;
}
CONF
run_nginx=("$nginx" -e "$n/startup-error.log" -p "$n" -c "$n/nginx.conf")
if [ "$(id -u)" -eq 0 ]; then
	# Not as root: as nobody, with the directory its own.
	chown -R nobody: "$n"
	run_nginx=(setpriv --reuid=nobody --regid=nogroup --clear-groups
		--inh-caps=-all "${run_nginx[@]}")
fi
"${run_nginx[@]}" -t >"$t/nginx-t.out" 2>&1 || fail "nginx -t: $(cat "$t/nginx-t.out")"
"${run_nginx[@]}" 2>"$t/nginx.stderr" &
npid=$!
for _ in $(seq 100); do
	curl -s -o /dev/null --resolve "$name:$p443:127.0.0.1" --cacert "$n/cert.pem" \
		"https://$name:$p443/healthz" && break
	kill -0 "$npid" 2>/dev/null || fail "nginx exited: $(cat "$t/nginx.stderr" "$n/startup-error.log" 2>/dev/null)"
	sleep 0.1
done

# --- a survey through nginx ---
base="https://$name:$p443"
req() { # METHOD PATH [curl args...]: body to $t/body, headers to $t/hdr
	local m=$1 path=$2
	shift 2
	curl -sS --resolve "$name:$p443:127.0.0.1" --cacert "$n/cert.pem" \
		-A "$ua" -e "$base/referer-probe" -H "X-Forwarded-For: 198.51.100.23" \
		-X "$m" -D "$t/hdr" -o "$t/body" -w '%{http_code}' "$@" "$base$path"
}
# POST, then the GET its 303 names (Post/Redirect/Get), as a browser does.
post() { # PATH [--data-urlencode k=v ...]
	local path=$1 code loc
	shift
	code=$(req POST "$path" "$@")
	[ "$code" = 303 ] || fail "POST $path answered $code: $(head -c 400 "$t/body")"
	loc=$(sed -n 's/^[Ll]ocation: *\([^[:space:]]*\).*/\1/p' "$t/hdr")
	case $loc in /*) ;; *) fail "POST $path: Location \"$loc\" is not a path" ;; esac
	code=$(req GET "$loc")
	[ "$code" = 200 ] || fail "GET $loc answered $code"
}
state() { sed -n 's/.*name="state" value="\([^"]*\)".*/\1/p' "$t/body" | head -1; }
between() { sed -n "s/.*$1\([^<]*\)<.*/\1/p" "$t/body" | head -1; }

[ "$(req GET /s/mini)" = 200 ] || fail "GET /s/mini through nginx"
grep -qi '^set-cookie' "$t/hdr" && fail "a cookie was set"
[ "$(req GET /metrics)" = 404 ] || fail "/metrics is reachable through nginx"
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p80/s/mini")
[ "$code" = 301 ] || fail "plain HTTP answered $code, not a redirect"

# Requests nginx refuses itself, which at any level below emerg it would
# log with "client: 127.0.0.1": a body over client_max_body_size, and an
# HTTP/1.1 connection the client closes.
head -c 300000 /dev/zero | tr '\0' a >"$t/big"
[ "$(req POST /s/mini --data-binary "@$t/big")" = 413 ] ||
	fail "a 300 kB body was not refused with 413"
[ "$(req GET /s/mini --http1.1)" = 200 ] || fail "GET over HTTP/1.1"

consent() {
	post /s/mini --data-urlencode lang=en --data-urlencode consent=1 \
		--data-urlencode adult=1 --data-urlencode action=start \
		--data-urlencode website=
	[ -n "$(state)" ] || fail "no state after consent"
}

# 1. Consent, page 1, save on page 2, resume with the code, submit.
consent
post /s/mini --data-urlencode "state=$(state)" --data-urlencode action=next \
	--data-urlencode pain=6 --data-urlencode used_kratom=0
post /s/mini --data-urlencode "state=$(state)" --data-urlencode action=save \
	--data-urlencode symptoms=2
resume=$(between 'id="resume-code">')
[ -n "$resume" ] || fail "no resume code shown: $(head -c 600 "$t/body")"
post /resume --data-urlencode "code=$resume"
[ -n "$(state)" ] || fail "resume did not open the saved answers"
post /s/mini --data-urlencode "state=$(state)" --data-urlencode action=next \
	--data-urlencode symptoms=1 --data-urlencode symptoms=3 \
	--data-urlencode age_band=2
grep -q 'name="fn_walk"' "$t/body" || fail "not on the last page after resume"
post /s/mini --data-urlencode "state=$(state)" --data-urlencode action=submit \
	--data-urlencode fn_walk=1 --data-urlencode fn_work=2 --data-urlencode website=
receipt1=$(between 'id="receipt-code">')
[ -n "$receipt1" ] || fail "no receipt after submit: $(head -c 600 "$t/body")"

# 2. A second whole submission, then withdrawn with its receipt code.
consent
post /s/mini --data-urlencode "state=$(state)" --data-urlencode action=next \
	--data-urlencode pain=3 --data-urlencode used_kratom=0
post /s/mini --data-urlencode "state=$(state)" --data-urlencode action=next \
	--data-urlencode symptoms=0 --data-urlencode age_band=1
post /s/mini --data-urlencode "state=$(state)" --data-urlencode action=submit \
	--data-urlencode fn_walk=2 --data-urlencode fn_work=1 --data-urlencode website=
receipt2=$(between 'id="receipt-code">')
[ -n "$receipt2" ] && [ "$receipt2" != "$receipt1" ] || fail "no second receipt: $(head -c 3000 "$t/body")"
count() { sqlite3 -readonly "file:$t/data/candor.db?mode=ro" \
	"SELECT count(*) FROM response WHERE form_id = 'mini'"; }
[ "$(count)" = 2 ] || fail "expected 2 stored responses, found $(count)"
[ "$(req GET /withdraw)" = 200 ] || fail "GET /withdraw"
post /withdraw --data-urlencode "code=$receipt2"
grep -q "Your answers have been deleted." "$t/body" || fail "withdrawal not confirmed"

# --- stop both, then look at everything they wrote ---
kill -TERM "$npid"
wait "$npid" || true
npid=
kill -TERM "$cpid"
wait "$cpid" || fail "collector did not stop cleanly: $(cat "$t/collector.err")"
cpid=
[ "$(count)" = 1 ] || fail "expected 1 response after the withdrawal, found $(count)"
logs=("$t/collector.out" "$t/collector.err" "$t/nginx.stderr")
for f in "$n"/*.log; do logs+=("$f"); done
for f in "${logs[@]}"; do
	[ -f "$f" ] || continue
	grep -qF "zq-unique-9f3b" "$f" && fail "$f holds the user agent"
	grep -qF "198.51.100.23" "$f" && fail "$f holds the forwarded address"
	grep -qF "referer-probe" "$f" && fail "$f holds the referrer"
	# The collector's own "listening on" line names its bind address; no
	# other line of any file may hold the client's address.
	# (No -q after a pipe: under pipefail an early exit could hide a hit.)
	grep -v '^listening on http://127.0.0.1:' "$f" | grep -F "127.0.0.1" >/dev/null &&
		fail "$f holds the client address 127.0.0.1: $(grep -F 127.0.0.1 "$f" | head -3)"
done
[ ! -s "$n/main-access.log" ] || fail "an access log was written"
echo "nginx_e2e.sh: ok (collector port $cport, nginx $p443; ${#logs[@]} logs checked)"
