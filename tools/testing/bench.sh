#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Measure (not assert) the 1 MiB TCP transfer through the simulated EC200U:
# boots the 6.12 kernel (or the ABI given) with only the tcp_1mib_each_way
# selftest and prints its "bench:" line: time, and the serial bytes each way
# from the simulator's counters.
# Usage: bench.sh [abi]
set -u
. "$(dirname "$0")/lib.sh"

t=$QISOCK_TOP/tools/testing
abi=${1:-$(kabi_6_12)}
[ -n "$abi" ] || { echo "bench: no kernel ABI" >&2; exit 1; }
"$t/kernels.sh" "$abi" >/dev/null || exit 1
find "$QISOCK_CACHE/build/$abi" -name qisock.ko 2>/dev/null | grep -q . ||
	"$t/matrix.sh" "$abi" >/dev/null
initrd=$("$t/mkinitramfs.sh" "$abi") || exit 1
out=$(QISOCK_INITRAMFS=$initrd QISOCK_TEST_ARGS="-t tcp_1mib_each_way" \
	"$t/qemu-run.sh" "$abi" ec200u 2>&1)
echo "$out" | grep -E 'tcp_1mib_each_way|^bench:'
if ! echo "$out" | grep -q '^bench:'; then
	echo "bench: no figures (see above; the driver may not have sockets yet)"
fi
