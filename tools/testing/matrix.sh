#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# W=1 build matrix: build qisock.ko against /usr/src/linux-headers-<abi> of
# every supported kernel, each in its own copy of the tree under
# $QISOCK_CACHE/build/<abi>/ so two kernels never share objects.
# Prints "PASS|FAIL: build/<abi>-W=1"; any compiler or modpost warning fails.
# qisock.ko stays in the copy for the QEMU step.
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
exit $rc
