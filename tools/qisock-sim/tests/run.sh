#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Build the qisock modem simulator and run its own conformance tests.
# Prints "PASS: sim/<name>", "FAIL: sim/<name>" (+ indented diagnostics) or
# "SKIP: sim/<name> (<why>)" per test; exits non-zero if anything failed.
# Extra arguments select tests by substring (e.g. run.sh qicfg bc66).
# SIM_TEST_JOBS=N sets how many tests run at once (default 4).

here=$(cd "$(dirname "$0")" && pwd)
sim_dir=$(dirname "$here")
py=/usr/bin/python3
[ -x "$py" ] || py=python3

if make -C "$sim_dir" >"${TMPDIR:-/tmp}/qisock-sim-build.$$" 2>&1 && [ -x "$sim_dir/qisock-sim" ]; then
	echo "PASS: sim/build"
	rm -f "${TMPDIR:-/tmp}/qisock-sim-build.$$"
else
	echo "FAIL: sim/build"
	sed 's/^/    /' "${TMPDIR:-/tmp}/qisock-sim-build.$$" | tail -n 40
	rm -f "${TMPDIR:-/tmp}/qisock-sim-build.$$"
	exit 1
fi

exec timeout -k 5 170 "$py" "$here/run.py" "$@"
