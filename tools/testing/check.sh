#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: every test step in order, never stopping at a failure, all
# output tee'd to $QISOCK_CACHE/logs/check.log, closing with summary.sh's
# "N passed, N failed" line. Exits non-zero when anything failed.
set -u
. "$(dirname "$0")/lib.sh"

t=$QISOCK_TOP/tools/testing
logdir=$QISOCK_CACHE/logs
log=$logdir/check.log
mkdir -p "$logdir"
: >"$log"

timings=()

# step <name> <command...>: run one step; a step that fails without saying
# which test failed gets a FAIL line of its own.
step() {
	local name=$1 start status secs out
	shift
	out=$(mktemp)
	echo "=== $name: $*"
	start=$(date +%s)
	"$@" 2>&1 | tee "$out"
	status=${PIPESTATUS[0]}
	secs=$(($(date +%s) - start))
	if [ "$status" -ne 0 ] && ! grep -q '^FAIL: ' "$out"; then
		result FAIL "$name" "exit $status"
	elif [ "$status" -eq 0 ] && ! grep -q -E '^(PASS|FAIL|SKIP): ' "$out"; then
		result FAIL "$name" "exit 0 but no result lines"
	fi
	rm -f "$out"
	echo "=== $name: ${secs}s (exit $status)"
	timings+=("$(printf '  %-11s %5ss' "$name" "$secs")")
}

optional() {	# optional <name> <script>: run it if someone has written it
	if [ -x "$2" ] || [ -f "$2" ]; then
		step "$1" bash "$2"
	else
		result SKIP "$1" "${2#"$QISOCK_TOP"/} not written yet"
	fi
}

deps() {
	"$t/deps.sh" && result PASS deps
}

sim_build() {
	if [ ! -f "$QISOCK_TOP/tools/qisock-sim/Makefile" ]; then
		result SKIP sim/build "tools/qisock-sim not written yet"
	elif make -s -C "$QISOCK_TOP/tools/qisock-sim"; then
		result PASS sim/build
	else
		result FAIL sim/build
	fi
}

# The demo is the README's promise: it runs as a step of its own, on an
# EC200U and on a BC66 (make demo MODEL=bc66).
demo_check() {
	local model log

	for model in ec200u bc66; do
		log=$QISOCK_CACHE/logs/demo-$model.log
		if "$t/demo.sh" "$model" </dev/null >"$log" 2>&1; then
			result PASS "demo/$model"
		else
			result FAIL "demo/$model" "log $log"
			tail -n 30 "$log" | sed 's/^/    | /'
		fi
	done
}

main() {
	local t0
	t0=$(date +%s)
	echo "qisock make check: $(date -u '+%F %T') UTC, cache $QISOCK_CACHE"
	step deps deps
	step sim sim_build
	optional sim-test "$QISOCK_TOP/tools/qisock-sim/tests/run.sh"
	optional kunit "$t/kunit/run.sh"
	step matrix "$t/matrix.sh"
	step checkpatch "$t/checkpatch.sh"
	step ksft "$t/ksft-tree.sh"
	step qemu-test "$t/qemu-test.sh"
	step demo demo_check
	echo
	echo "==== timings ===="
	printf '%s\n' "${timings[@]}"
	printf '  %-11s %5ss\n' total "$(($(date +%s) - t0))"
}

main 2>&1 | tee "$log"
"$t/summary.sh" "$log" | tee -a "$log"
exit "${PIPESTATUS[0]}"
