#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Fetch and unpack the Debian kernel image of every supported ABI into
# $QISOCK_CACHE/kernels/<abi>/ (boot/vmlinuz-<abi>, lib/modules/<abi>/).
# Idempotent: an unpacked kernel is re-used. Prints "<abi> <vmlinuz>" lines.
# Usage: kernels.sh [abi...]   (default: all supported ABIs)
set -eu
. "$(dirname "$0")/lib.sh"

abis=("$@")
[ ${#abis[@]} -gt 0 ] || mapfile -t abis < <(supported_kabis)
[ ${#abis[@]} -gt 0 ] || { echo "kernels.sh: cannot resolve kernel ABIs (apt-get update?)" >&2; exit 1; }

image_pkg() {	# the Debian package that holds the kernel image of ABI $1
	case $1 in
	6.1.*) echo "linux-image-$1" ;;
	*) echo "linux-image-$1-unsigned" ;;
	esac
}

for abi in "${abis[@]}"; do
	dir=$QISOCK_CACHE/kernels/$abi
	if [ ! -e "$dir/.unpacked" ]; then
		pkg=$(image_pkg "$abi")
		rm -rf "$dir" "$dir.tmp"
		mkdir -p "$dir.tmp/deb"
		echo "kernels: downloading $pkg" >&2
		(cd "$dir.tmp/deb" && apt-get download -q "$pkg" >"$QISOCK_CACHE/apt-download.log" 2>&1) ||
			{ echo "kernels.sh: apt-get download $pkg failed" >&2; exit 1; }
		dpkg -x "$dir.tmp"/deb/*.deb "$dir.tmp"
		rm -rf "$dir.tmp/deb"
		mv "$dir.tmp" "$dir"
		touch "$dir/.unpacked"
	fi
	vmlinuz=$dir/boot/vmlinuz-$abi
	[ -r "$vmlinuz" ] || { echo "kernels.sh: $vmlinuz missing" >&2; exit 1; }
	echo "$abi $vmlinuz"
done
