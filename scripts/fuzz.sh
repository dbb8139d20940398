#!/usr/bin/env bash
# Build the libFuzzer targets (fuzz/fuzz_*.c) with clang, AddressSanitizer
# and UndefinedBehaviorSanitizer in build-fuzz, then run each for SECONDS
# (default 60), seeded with a copy of its corpus (fuzz/corpus/<name>/) so
# the repository's corpus is not changed. Stops at the first crash, leak,
# sanitizer report or broken invariant and prints the reproducer's path.
#
# Usage: scripts/fuzz.sh [SECONDS] [NAME...]    (NAME: post, seal, ...)
# BUILD_DIR overrides build-fuzz; ARTIFACTS where reproducers are kept
# (default BUILD_DIR/artifacts).
set -euo pipefail
cd "$(dirname "$0")/.."
src=$(pwd)

secs=${1:-60}
shift || true
case $secs in
'' | *[!0-9]*)
	echo "fuzz.sh: SECONDS: must be a whole number (got \"$secs\")" >&2
	exit 2
	;;
esac
build=${BUILD_DIR:-build-fuzz}
artifacts=${ARTIFACTS:-$build/artifacts}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
	for f in fuzz/fuzz_*.c; do
		n=${f#fuzz/fuzz_}
		names+=("${n%.c}")
	done
fi
targets=()
for n in "${names[@]}"; do
	[ -f "fuzz/fuzz_$n.c" ] || {
		echo "fuzz.sh: $n: no such target (fuzz/fuzz_$n.c)" >&2
		exit 2
	}
	targets+=("fuzz_$n")
done

CC=clang cmake -S . -B "$build" -DCANDOR_FUZZ=ON -DCANDOR_SANITIZE=ON \
	-DCANDOR_WERROR=ON >/dev/null
cmake --build "$build" -j2 --target "${targets[@]}"

mkdir -p "$artifacts"
work=$(mktemp -d "${TMPDIR:-/tmp}/candor-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CANDOR_SRC=$src
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}

for n in "${names[@]}"; do
	corpus=$work/$n
	mkdir -p "$corpus"
	if [ -d "fuzz/corpus/$n" ]; then
		find "fuzz/corpus/$n" -maxdepth 1 -type f -exec cp {} "$corpus/" \;
	fi
	log=$work/$n.log
	echo "fuzz_$n: ${secs}s, $(find "$corpus" -type f | wc -l) seeds"
	if ! "$build/bin/fuzz_$n" -max_total_time="$secs" -timeout=20 \
		-artifact_prefix="$artifacts/$n-" "$corpus" >"$log" 2>&1; then
		grep -E 'ERROR|SUMMARY|invariant broken|runtime error' "$log" |
			head -n 20 >&2 || true
		repro=$(grep -o "Test unit written to .*" "$log" | tail -n 1 |
			sed 's/Test unit written to //')
		echo "fuzz_$n: FAILED; reproducer: ${repro:-(none written)}" >&2
		echo "  replay: $build/bin/fuzz_$n ${repro:-}" >&2
		echo "  keep it: cp ${repro:-FILE} fuzz/corpus/$n/" >&2
		exit 1
	fi
	grep -E '^#[0-9]+.*DONE' "$log" | tail -n 1 | sed "s/^/fuzz_$n: /"
done
echo "fuzz.sh: ${#names[@]} targets, ${secs}s each: no crash"
