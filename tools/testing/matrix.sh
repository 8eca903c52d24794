#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# W=1 build matrix: build qisock.ko against /usr/src/linux-headers-<abi> of
# every supported kernel, each in its own copy of the tree under
# $QISOCK_CACHE/build/<abi>/ so two kernels never share objects.
# Prints "PASS|FAIL: build/<abi>-W=1"; any compiler or modpost warning fails.
# qisock.ko stays in the copy for the QEMU step. Then the user-space side:
# the qisock CLI (any warning fails: "build/cli") and its man page from the
# RST reference ("build/man", rst2man --strict).
# Usage: matrix.sh [abi...]   (default: all supported ABIs)
set -u
. "$(dirname "$0")/lib.sh"

abis=("$@")
[ ${#abis[@]} -gt 0 ] || mapfile -t abis < <(supported_kabis)
[ ${#abis[@]} -gt 0 ] || { result FAIL build/matrix "cannot resolve kernel ABIs"; exit 1; }

rc=0
for abi in "${abis[@]}"; do
	name=build/$abi-W=1
	kdir=/usr/src/linux-headers-$abi
	dir=$QISOCK_CACHE/build/$abi
	log=$QISOCK_CACHE/logs/build-$abi.log
	mkdir -p "$dir" "$QISOCK_CACHE/logs"
	if [ ! -e "$kdir/Makefile" ]; then
		result FAIL "$name" "$kdir missing (make deps)"
		rc=1
		continue
	fi
	# A fresh mirror every time: a warning-free verdict needs every file compiled.
	rsync -a --delete --delete-excluded --exclude=/.git --filter=':- .gitignore' \
		"$QISOCK_TOP/" "$dir/"
	start=$(date +%s)
	make -C "$kdir" M="$dir" W=1 -j"$(nproc)" modules >"$log" 2>&1
	status=$?
	secs=$(($(date +%s) - start))
	ko=$(find "$dir" -name qisock.ko | head -n1)
	problems=$(grep -E -i '(^|[^a-z])(warning|error):|^WARNING: |^ERROR: |\*\*\* ' "$log" |
		grep -v -E '\*\*\* (\[|Waiting for unfinished jobs)')
	if [ "$status" -eq 0 ] && [ -n "$ko" ] && [ -z "$problems" ]; then
		result PASS "$name" "${secs}s"
	else
		[ -n "$ko" ] || problems="${problems:+$problems
}no qisock.ko produced (make exit $status)"
		result FAIL "$name" "make exit $status; log $log"
		echo "$problems" | head -n 60 | sed 's/^/    | /'
		rc=1
	fi
done

# The CLI and qisock(8), each into $QISOCK_CACHE/build/cli.
cli_out=$QISOCK_CACHE/build/cli
log=$QISOCK_CACHE/logs/build-cli.log
if make -s -B -C "$QISOCK_TOP/tools/qisock" OUTPUT="$cli_out" >"$log" 2>&1 &&
   ! grep -q -i 'warning' "$log"; then
	result PASS build/cli
else
	result FAIL build/cli "log $log"
	head -n 20 "$log" | sed 's/^/    | /'
	rc=1
fi
log=$QISOCK_CACHE/logs/build-man.log
if make -s -B -C "$QISOCK_TOP/tools/qisock" OUTPUT="$cli_out" man >"$log" 2>&1 &&
   [ -s "$cli_out/qisock.8" ]; then
	result PASS build/man "$(grep -c '^\.SH' "$cli_out/qisock.8") sections"
else
	result FAIL build/man "log $log"
	head -n 20 "$log" | sed 's/^/    | /'
	rc=1
fi
exit $rc
