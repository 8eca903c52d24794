#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the path of an unpacked linux-source-6.12 tree (KUnit, checkpatch,
# kselftest_harness.h), unpacking Debian's tarball into the cache once.
set -eu
. "$(dirname "$0")/lib.sh"

tarball=$(ls /usr/src/linux-source-6.12.tar.xz 2>/dev/null || true)
dest=$QISOCK_CACHE/linux-6.12
[ -n "$tarball" ] || { echo "linux-source.sh: linux-source-6.12 not installed (make deps)" >&2; exit 1; }

mkdir -p "$QISOCK_CACHE"
exec 9>"$QISOCK_CACHE/linux-6.12.lock"
flock 9
if [ ! -e "$dest/.unpacked" ] || [ "$tarball" -nt "$dest/.unpacked" ]; then
	rm -rf "$dest" "$dest.tmp"
	mkdir -p "$dest.tmp"
	tar -xf "$tarball" -C "$dest.tmp" --strip-components=1
	mv "$dest.tmp" "$dest"
	touch "$dest/.unpacked"
fi
echo "$dest"
