#!/usr/bin/env bash
# Command 1: install what is missing, build, and start the collector with
# the default survey on ./data/candor.db. PORT (default 8080) and BIND
# (default 127.0.0.1) may be set in the environment; started as root, the
# collector runs as CANDOR_USER (default nobody).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh run
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"

# The data directory is the collector's own: owned by the user it runs as
# and 0700 (it refuses to start otherwise: docs/operations.md).
args=()
mkdir -p data
if [ "$(id -u)" -eq 0 ]; then
	user=${CANDOR_USER:-nobody}
	chown "$user": data
	args=(--user "$user")
fi
chmod 0700 data
exec build/bin/collector --form forms/fibromyalgia-therapies.json \
	--db data/candor.db --bind "${BIND:-127.0.0.1}" --port "${PORT:-8080}" \
	"${args[@]}"
