#!/usr/bin/env bash
# deploy/candor-nginx.conf passes `nginx -t` (with a throwaway certificate
# and the ports and log paths moved into a temporary directory), and keeps
# the properties docs/operations.md promises: no access log, error lines
# only at "emerg", header and body deadlines, and no client address, user
# agent or forwarding header passed on.
# Usage: nginx_conf.sh SOURCE_DIR
set -euo pipefail
src=$1
conf=$src/deploy/candor-nginx.conf
fail() { echo "nginx_conf.sh: $*" >&2; exit 1; }
command -v nginx >/dev/null || fail "nginx not found (Debian package nginx)"

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
	-keyout "$t/key.pem" -out "$t/cert.pem" 2>/dev/null
sed -e "s#/etc/ssl/candor/fullchain.pem#$t/cert.pem#" \
	-e "s#/etc/ssl/candor/privkey.pem#$t/key.pem#" \
	-e "s#/var/log/nginx/#$t/#" \
	-e "s#listen 80;#listen 127.0.0.1:18080;#; s#listen \[::\]:80;##" \
	-e "s#listen 443 ssl http2;#listen 127.0.0.1:18443 ssl http2;#" \
	-e "s#listen \[::\]:443 ssl http2;##" "$conf" >"$t/candor.conf"
cat >"$t/nginx.conf" <<CONF
pid $t/nginx.pid;
error_log $t/main-error.log;
events {}
http {
	access_log $t/main-access.log;
	client_body_temp_path $t/body;
	proxy_temp_path $t/proxy;
	fastcgi_temp_path $t/fastcgi;
	uwsgi_temp_path $t/uwsgi;
	scgi_temp_path $t/scgi;
	include $t/candor.conf;
}
CONF
nginx -t -p "$t" -c "$t/nginx.conf" 2>"$t/t.out" ||
	fail "nginx -t: $(cat "$t/t.out")"

# The promises, each in every server block.
n=$(grep -c '^server {' "$conf")
[ "$(grep -c '^	access_log off;' "$conf")" -eq "$n" ] || fail "a server block logs access"
[ "$(grep -c '^	error_log .* emerg;' "$conf")" -eq "$n" ] || fail "a server block logs errors below emerg"
[ "$(grep -c '^	client_header_timeout ' "$conf")" -eq "$n" ] || fail "a server block has no header deadline"
grep -q '^	client_body_timeout ' "$conf" || fail "no body deadline"
for h in X-Forwarded-For X-Real-IP Forwarded User-Agent Referer; do
	grep -q "proxy_set_header $h \"\";" "$conf" || fail "$h is passed on"
done
grep -v '^\s*#' "$conf" | grep -v 'limit_.*_zone' |
	grep -q '\$remote_addr\|\$binary_remote_addr\|\$http_user_agent' &&
	fail "the client's address or agent is used outside the in-memory limits"
echo "nginx_conf.sh: ok"
