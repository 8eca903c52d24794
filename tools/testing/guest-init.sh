#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the qisock test initramfs (busybox sh). Runs as PID 1 in the guest.
#
# Kernel command line (dotted so the kernel neither warns nor hands them on):
#   qisocktest.mode=test|demo|smoke   what to run (test)
#   qisocktest.model=ec200u|...       model the host simulator runs
#   qisocktest.nonce=XYZ              echoed in the markers the host parses
#   qisocktest.args=-t,NAME           selftest arguments, commas for blanks
#
# Markers on the console (ttyS0), one per line:
#   QISOCK-BEGIN <nonce>
#   QISOCK-RESULT <nonce> PASS|FAIL|SKIP <name> [why]
#   (TAP from the selftests)
#   QISOCK-DMESG-BEGIN <nonce> ... QISOCK-DMESG-END <nonce>
#   QISOCK-END <nonce> rc=<exit code>

export PATH=/sbin:/bin:/usr/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp /dev/pts
mount -t tmpfs tmpfs /tmp

mode=test model='' nonce=0 args=''
for arg in $(cat /proc/cmdline); do
	case $arg in
	qisocktest.mode=*) mode=${arg#*=} ;;
	qisocktest.model=*) model=${arg#*=} ;;
	qisocktest.nonce=*) nonce=${arg#*=} ;;
	qisocktest.args=*) args=$(echo "${arg#*=}" | tr ',' ' ') ;;
	esac
done

TTY=/dev/ttyS1
KO=/lib/modules/qisock.ko
rc=0

result() {	# result PASS|FAIL|SKIP name [why]
	echo "QISOCK-RESULT $nonce $*"
	[ "$1" != FAIL ] || rc=1
}

finish() {
	if [ "$mode" != demo ]; then
		echo "QISOCK-DMESG-BEGIN $nonce"
		dmesg
		echo "QISOCK-DMESG-END $nonce"
	fi
	echo "QISOCK-END $nonce rc=$rc"
	sync
	poweroff -f
	sleep 10
}

# The modem port must never echo what the simulator says back at it.
stty -F "$TTY" raw -echo clocal 2>/dev/null

echo "QISOCK-BEGIN $nonce"

if [ -c "$TTY" ]; then
	result PASS boot/ttyS1
else
	result FAIL boot/ttyS1 "no $TTY"
	finish
fi

# Without a driver: prove the wire to the simulator works (AT -> OK).
smoke() {
	exec 3<>"$TTY"		# keep the port open so the reply is not lost
	printf 'AT\r' >&3
	reply=$(timeout 3 cat <&3 2>/dev/null | tr -d '\r' | head -c 200)
	exec 3>&-
	case $reply in
	*OK*) result PASS boot/at-ok ;;
	*) result FAIL boot/at-ok "reply: $(echo "$reply" | tr '\n' ' ')" ;;
	esac
}

load() {
	if [ ! -e "$KO" ]; then
		result SKIP insmod "no qisock.ko in the initramfs"
		return 1
	fi
	if out=$(insmod "$KO" 2>&1); then
		result PASS insmod
	else
		result FAIL insmod "$out"
		return 1
	fi
}

demo() {
	echo
	echo "=== qisock demo on Linux $(uname -r), simulated ${model:-modem} on $TTY ==="
	echo "# insmod qisock.ko"
	load || return 1
	echo "# ldattach 29 $TTY"
	ldattach 29 "$TTY" || { echo "ldattach failed"; rc=1; return 1; }
	dev=
	i=0
	while [ $i -lt 200 ]; do
		for d in /sys/class/qisock/*; do
			[ "$(cat "$d/tty" 2>/dev/null)" = "${TTY#/dev/}" ] && dev=$d
		done
		[ -n "$dev" ] && [ "$(cat "$dev/state" 2>/dev/null)" = ready ] && break
		i=$((i + 1))
		sleep 0.1
	done
	if [ -z "$dev" ]; then
		echo "no qisock device appeared"
		rc=1
	else
		echo "# cd $dev && grep . tty model revision dialect state"
		(cd "$dev" && grep . tty model revision dialect state)
		[ "$(cat "$dev/state")" = ready ] || rc=1
	fi
	echo "# dmesg | grep qisock"
	dmesg | grep -i qisock | grep -v -i 'command line'
	echo "# kill ldattach (detach); rmmod qisock"
	kill "$(pidof ldattach)" 2>/dev/null
	sleep 1
	rmmod qisock && echo "module unloaded" || rc=1
	dmesg | grep -i -E 'WARNING:|BUG:|Oops' && rc=1
	echo "=== demo done (rc=$rc) ==="
}

case $mode in
smoke)
	smoke
	;;
demo)
	demo
	;;
*)
	if load; then
		# shellcheck disable=SC2086 # $args is a list
		QISOCK_MODEL=$model QISOCK_TTY=$TTY QISOCK_KO=$KO \
			/tests/qisock_test $args || rc=1
	else
		smoke
	fi
	;;
esac
finish
