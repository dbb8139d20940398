#!/usr/bin/env bash
# Command 2: install what is missing, build with warnings as errors, and run
# the whole CTest suite. BUILD_DIR and CMAKE_ARGS select other builds (the
# sanitizer build in .ci/run uses them).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${BUILD_DIR:-build-test}
scripts/deps.sh test
if [ -f tests/browser/package.json ] && [ ! -d tests/browser/node_modules ]; then
	(cd tests/browser && npm ci --no-audit --no-fund)
fi
# shellcheck disable=SC2086
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCANDOR_WERROR=ON ${CMAKE_ARGS:-} >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)" ${CTEST_ARGS:-}
