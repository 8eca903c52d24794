#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: build qisock.ko for Debian's 6.12 kernel, boot it under QEMU
# with a simulated EC200U on ttyS1 (simulator trace shown as "[sim]") and do
# what a user would: attach with ldattach, `qisock` for the status, set the
# APN and bring context 1 up, resolve a name and fetch a page from a web
# server on the host's loopback through the module, then detach and unload.
# Exits non-zero when any step failed (make check runs it so).
# Usage: demo.sh [model]   (default ec200u)
set -eu
. "$(dirname "$0")/lib.sh"

model=${1:-ec200u}
t=$QISOCK_TOP/tools/testing
abi=$(kabi_6_12)
[ -n "$abi" ] || { echo "demo: no 6.12 kernel in the apt index (make deps)" >&2; exit 1; }

echo "demo: building qisock.ko against /usr/src/linux-headers-$abi"
"$t/matrix.sh" "$abi" | sed 's/^/demo: /'
echo "demo: fetching the $abi kernel image"
"$t/kernels.sh" "$abi" >/dev/null
echo "demo: building the initramfs"
initrd=$("$t/mkinitramfs.sh" "$abi")
echo "demo: booting QEMU (TCG) with qisock-sim --model $model on the guest's ttyS1"
QISOCK_INITRAMFS=$initrd exec "$t/qemu-run.sh" --demo "$abi" "$model"
