#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install (as root, with apt) everything the qisock build and tests need on a
# fresh Debian bookworm machine. Idempotent: a second run only checks.
set -eu
. "$(dirname "$0")/lib.sh"

stamp=$QISOCK_CACHE/deps.stamp
mkdir -p "$QISOCK_CACHE"

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: not root; assuming the packages are installed" >&2
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
if [ ! -e "$stamp" ] || [ -n "$(find /var/lib/apt/lists -maxdepth 0 -mmin +1440 2>/dev/null)" ]; then
	apt-get update -q >/dev/null
fi

k61=$(kabi_6_1)
k612=$(kabi_6_12)
[ -n "$k61" ] && [ -n "$k612" ] || { echo "deps: cannot resolve Debian kernel ABIs" >&2; exit 1; }

pkgs="build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils rsync kmod
      python3 python3-docutils util-linux udev busybox-static qemu-system-x86 gcc-multilib
      linux-source-6.12 linux-headers-$k61 linux-headers-$k612"
missing=
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing:$missing"
	# shellcheck disable=SC2086
	apt-get install -y -q --no-install-recommends $missing >"$QISOCK_CACHE/apt.log" 2>&1 ||
		{ tail -n 30 "$QISOCK_CACHE/apt.log" >&2; exit 1; }
fi
touch "$stamp"
