#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# QEMU integration tests: every supported kernel x the models in
# QISOCK_MODELS (default "ec200u bc66"), QISOCK_QEMU_JOBS boots at a time
# (default: the number of CPUs, at most 2). Result lines from qemu-run.sh.
set -u
. "$(dirname "$0")/lib.sh"

models=${QISOCK_MODELS:-ec200u bc66}
jobs=${QISOCK_QEMU_JOBS:-$(nproc)}
[ "$jobs" -le 2 ] || jobs=2
[ "$jobs" -ge 1 ] || jobs=1
mapfile -t abis < <(supported_kabis)
[ ${#abis[@]} -gt 0 ] || { result FAIL qemu/setup "cannot resolve kernel ABIs"; exit 1; }

t=$QISOCK_TOP/tools/testing
out=$(mktemp -d /tmp/qisock-qemu-test.XXXXXX)
trap 'rm -rf "$out"' EXIT

"$t/kernels.sh" "${abis[@]}" >/dev/null || { result FAIL qemu/setup "kernel images"; exit 1; }

declare -A initrd
rc=0
for abi in "${abis[@]}"; do
	# qisock.ko comes from the W=1 matrix; build it when run alone.
	if [ -e "$QISOCK_TOP/Kbuild" ] &&
	   ! find "$QISOCK_CACHE/build/$abi" -name qisock.ko 2>/dev/null | grep -q .; then
		"$t/matrix.sh" "$abi" >/dev/null
	fi
	if [ -e "$QISOCK_TOP/Kbuild" ] &&
	   ! find "$QISOCK_CACHE/build/$abi" -name qisock.ko 2>/dev/null | grep -q .; then
		result FAIL "qemu/$abi/module" "no qisock.ko: the build failed (matrix.sh $abi)"
		rc=1
	fi
	initrd[$abi]=$("$t/mkinitramfs.sh" "$abi") ||
		{ result FAIL "qemu/$abi/initramfs"; exit 1; }
done

# Model by model, so that the long socket runs (EC200U) of both kernels
# boot side by side.
runs=()
for model in $models; do
	for abi in "${abis[@]}"; do
		runs+=("$abi $model")
	done
done

i=0
while [ $i -lt ${#runs[@]} ]; do
	pids=()
	for ((j = 0; j < jobs && i + j < ${#runs[@]}; j++)); do
		read -r abi model <<<"${runs[i + j]}"
		QISOCK_INITRAMFS=${initrd[$abi]} "$t/qemu-run.sh" "$abi" "$model" \
			>"$out/$((i + j))" 2>&1 &
		pids+=($!)
	done
	for ((j = 0; j < ${#pids[@]}; j++)); do
		wait "${pids[j]}" || rc=1
		cat "$out/$((i + j))"
	done
	i=$((i + ${#pids[@]}))
done
exit $rc
