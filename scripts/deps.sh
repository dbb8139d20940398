#!/usr/bin/env bash
# Install the Debian 12 packages Candor needs, skipping those already
# present. Usage: scripts/deps.sh [run|test]
#   run   build and run the collector and the analysis
#   test  also what the tests and benchmarks need (libcurl, R, PSPP,
#         Chromium, Node.js, sqlmap, wrk, pandas, nginx, systemd-analyze...)
set -euo pipefail

what=${1:-run}
pkgs=(build-essential cmake pkg-config
      libmicrohttpd-dev libsqlite3-dev libgsl-dev libsodium-dev libjansson-dev
      libseccomp-dev libssl-dev libglpk-dev)
if [ "$what" = test ]; then
	pkgs+=(clang libclang-rt-14-dev libcurl4-openssl-dev curl sqlite3
	       r-base-core r-cran-sandwich r-cran-rmpfr chromium nodejs npm openssl
	       pspp sqlmap python3-pandas python3-scipy time
	       nginx systemd man-db)
fi

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
# Node.js may come from outside Debian (nvm, nodesource): accept any node
# and npm on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
	missing=("${missing[@]/nodejs}")
	missing=("${missing[@]/npm}")
fi
read -r -a missing <<<"${missing[*]}"
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "deps.sh: run as root or install sudo to install: ${missing[*]}" >&2
		exit 1
	}
	sudo=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
