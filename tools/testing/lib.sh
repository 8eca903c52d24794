# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared shell helpers for the qisock test harness. Source it, do not run it.

QISOCK_CACHE=${QISOCK_CACHE:-$HOME/.cache/qisock}
QISOCK_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export QISOCK_CACHE QISOCK_TOP

# The two Debian kernel ABIs we support. Resolved from the apt index so that a
# security update that replaces a kernel does not break a fresh machine.
kabi_6_1() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(6\.1\.[0-9.-]*-amd64\)$/\1/p' | head -n1
}

kabi_6_12() {
	apt-cache pkgnames linux-headers-6.12. 2>/dev/null |
		sed -n 's/^linux-headers-\(6\.12\.[0-9]*+deb12-amd64\)$/\1/p' |
		sort -V | tail -n1
}

# Print "<abi>" for each supported kernel, oldest first.
supported_kabis() {
	kabi_6_1
	kabi_6_12
}

result() {	# result PASS|FAIL|SKIP name [why]
	if [ -n "${3:-}" ]; then
		echo "$1: $2 ($3)"
	else
		echo "$1: $2"
	fi
}
