#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the test initramfs for one kernel ABI:
#   busybox-static + applet links, util-linux ldattach and setpriv and (when
#   the host has it) udevadm with their libraries and ld.so, qisock.ko built
#   for that kernel (when there is one), the static selftests, the qisock CLI
#   (/bin/qisock) with its test (/tests/cli-test.sh) and /bin/jsoncheck,
#   tools/udev/60-qisock.rules in /etc/udev/rules.d, and
#   tools/testing/guest-init.sh as /init.
# Usage: mkinitramfs.sh <abi> [qisock.ko]   Prints the path of the .cpio.gz.
set -eu
. "$(dirname "$0")/lib.sh"

abi=${1:?usage: mkinitramfs.sh <abi> [qisock.ko]}
ko=${2:-}
if [ -z "$ko" ]; then
	ko=$(find "$QISOCK_CACHE/build/$abi" -name qisock.ko 2>/dev/null | head -n1 || true)
fi
out=$QISOCK_CACHE/initramfs/$abi.cpio.gz
root=$QISOCK_CACHE/initramfs/$abi.root
st_out=$QISOCK_CACHE/selftests

# The selftests (static, one build for every kernel), through lib.mk.
# Always rebuilt (-B): the cache may hold binaries of another checkout
# that are newer than these sources.
make -s -B -C "$QISOCK_TOP/tools/testing/selftests/qisock" OUTPUT="$st_out" \
	USERLDFLAGS=-static >&2
# The same tests as 32-bit programs: the compat ioctl path (gcc-multilib).
make -s -B -C "$QISOCK_TOP/tools/testing/selftests/qisock" OUTPUT="$st_out/m32" \
	USERLDFLAGS=-static CC="${CC:-gcc} -m32 -Wno-pointer-to-int-cast" >&2
# The qisock CLI (static too), and the JSON checker its test uses.
make -s -B -C "$QISOCK_TOP/tools/qisock" OUTPUT="$st_out" >&2
make -s -B -C "$QISOCK_TOP/tools/testing/jsoncheck" OUTPUT="$st_out" >&2

busybox=$(command -v busybox)
! ldd "$busybox" >/dev/null 2>&1 ||
	{ echo "mkinitramfs: $busybox is not static (apt-get install busybox-static)" >&2; exit 1; }
ldattach=$(command -v ldattach || echo /usr/sbin/ldattach)
[ -x "$ldattach" ] || { echo "mkinitramfs: ldattach not found (util-linux)" >&2; exit 1; }

rm -rf "$root"
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,etc,lib/modules,tests}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list-full); do
	[ -e "$root/$applet" ] || ln -s /bin/busybox "$root/$applet"
done

# A host tool at <path> in the initramfs (replacing busybox's applet) and
# what it needs at run time (libc, ld.so), at the same paths.
host_tool() {	# host_tool <host binary> <path>
	local lib

	rm -f "$root/bin/$(basename "$2")" "$root/sbin/$(basename "$2")" \
		"$root/usr/bin/$(basename "$2")" "$root/usr/sbin/$(basename "$2")"
	cp "$1" "$root$2"
	for lib in $(ldd "$1" | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (.*/\1/p'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}
host_tool "$ldattach" /sbin/ldattach
# setpriv drops privileges for the access tests (busybox's has no --groups).
setpriv=$(command -v setpriv || echo /usr/bin/setpriv)
[ -x "$setpriv" ] || { echo "mkinitramfs: setpriv not found (util-linux)" >&2; exit 1; }
host_tool "$setpriv" /usr/bin/setpriv
# udevadm, to try the shipped rule on the guest's real devices (optional).
udevadm=$(command -v udevadm || true)
[ -z "$udevadm" ] || host_tool "$udevadm" /bin/udevadm
mkdir -p "$root/etc/udev/rules.d" "$root/run"
cp "$QISOCK_TOP/tools/udev/60-qisock.rules" "$root/etc/udev/rules.d/"

for t in "$QISOCK_TOP"/tools/testing/selftests/qisock/*_test.c; do
	t=$(basename "$t" .c)
	cp "$st_out/$t" "$root/tests/"
done
cp "$st_out"/m32/sockets_test "$root/tests/sockets_test32"
cp "$st_out"/m32/services_test "$root/tests/services_test32"
cp "$st_out"/qisock "$root/bin/qisock"
cp "$st_out"/jsoncheck "$root/bin/jsoncheck"
install -m 0755 "$QISOCK_TOP/tools/testing/cli-test.sh" "$root/tests/cli-test.sh"
[ -n "$ko" ] && cp "$ko" "$root/lib/modules/qisock.ko"
install -m 0755 "$QISOCK_TOP/tools/testing/guest-init.sh" "$root/init"
echo "root:x:0:0:root:/:/bin/sh" >"$root/etc/passwd"
echo "nobody:x:65534:65534:nobody:/:/bin/false" >>"$root/etc/passwd"
printf 'root:x:0:\ndialout:x:20:\nnogroup:x:65534:\n' >"$root/etc/group"
printf 'passwd: files\ngroup: files\n' >"$root/etc/nsswitch.conf"

(cd "$root" && find . -print0 | cpio --null -o -H newc -R 0:0 --quiet) | gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
rm -rf "$root"
echo "$out"
