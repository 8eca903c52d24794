#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# /init of the qisock test initramfs (busybox sh). Runs as PID 1 in the guest.
#
# Kernel command line (dotted so the kernel neither warns nor hands them on):
#   qisocktest.mode=test|demo|smoke   what to run (test)
#   qisocktest.model=ec200u|...       model the host simulator runs
#   qisocktest.nonce=XYZ              echoed in the markers the host parses
#   qisocktest.args=-t,NAME           selftest arguments, commas for blanks
#   qisocktest.http=PORT              demo: host HTTP server on 127.0.0.1:PORT
#
# ttyS1 is the simulated modem, ttyS2 the host peer (tools/testing/peer.py).
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
mount -t tracefs tracefs /sys/kernel/tracing	# the qisock tracepoint test
mount -t devtmpfs devtmpfs /dev
mkdir -p /tmp /dev/pts
mount -t tmpfs tmpfs /tmp

mode=test model='' nonce=0 args='' http=''
for arg in $(cat /proc/cmdline); do
	case $arg in
	qisocktest.mode=*) mode=${arg#*=} ;;
	qisocktest.model=*) model=${arg#*=} ;;
	qisocktest.nonce=*) nonce=${arg#*=} ;;
	qisocktest.args=*) args=$(echo "${arg#*=}" | tr ',' ' ') ;;
	qisocktest.http=*) http=${arg#*=} ;;
	esac
done

TTY=/dev/ttyS1
PEER=/dev/ttyS2
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
stty -F "$PEER" raw -echo clocal 2>/dev/null

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

# What the demo shows: "# <command>" and what it printed. A failure
# fails the demo.
show() {
	echo "# $*"
	"$@" || { echo "(failed: exit $?)"; rc=1; return 1; }
}

# Fetch the host's page through the simulated module, by name.
demo_http() {
	if [ -z "$http" ]; then
		echo "(no host HTTP server given; skipping the page fetch)"
		return 0
	fi
	echo "# printf 'GET / HTTP/1.0\\r\\nHost: qisock.test\\r\\n\\r\\n' | qisock nc -w 20 qisock.test $http"
	if printf 'GET / HTTP/1.0\r\nHost: qisock.test\r\n\r\n' |
		timeout 60 qisock nc -w 20 qisock.test "$http" >/tmp/page 2>/tmp/page.err; then
		tr -d '\r' </tmp/page
		grep -q 'through a simulated EC200U' /tmp/page || { echo "page incomplete"; rc=1; }
	else
		echo "qisock nc failed: $(cat /tmp/page.err)"
		tr -d '\r' </tmp/page
		rc=1
	fi
	echo
	echo "# serial bytes the simulator counted (tx = module to host, rx = host to module)"
	exec 4<>"$PEER"
	printf 'sim stats\n' >&4
	timeout 3 head -n1 <&4
	exec 4>&-
}

# One command to the host peer on ttyS2, its reply line on stdout.
peer() {
	exec 4<>"$PEER"
	printf '%s\n' "$*" >&4
	timeout 15 head -n1 <&4 | tr -d '\r'
	exec 4>&-
}

# A few socket tests again as a 32-bit program: every ioctl struct, the
# by-value SET_MODE and ACCEPT through the kernel's compat path. Their
# results are named compat32_<test>.
compat_tests() {
	local r32
	QISOCK_TTY=$TTY QISOCK_PEER=$PEER /tests/sockets_test32 \
		-t set_mode_by_value -t udp_service_peer_address \
		-t listener_accepts_host_connection -t nonblock_connect \
		-t fionread_tiocoutq -t sock_info_claims_nothing >/tmp/compat32.tap 2>&1
	r32=$?
	sed 's/^\(\(not \)\{0,1\}ok [0-9]* [^.]*\.\)/\1compat32_/' /tmp/compat32.tap
	[ "$r32" = 0 ] || rc=1
	# the services' structs (resolve, ping, NTP, error) the same way
	QISOCK_TTY=$TTY QISOCK_PEER=$PEER /tests/services_test32 \
		-t svc_resolve_known_name -t svc_ping_replies_and_summary \
		-t svc_ntp_time -t svc_last_error_after_failure \
		-t svc_nonblock_poll_collect >/tmp/compat32s.tap 2>&1
	r32=$?
	sed 's/^\(\(not \)\{0,1\}ok [0-9]* [^.]*\.\)/\1compat32_/' /tmp/compat32s.tap
	[ "$r32" = 0 ] || rc=1
}

# The qisock CLI end to end (tools/testing/cli-test.sh; EC200U/EG915U).
cli_tests() {
	QISOCK_NONCE=$nonce QISOCK_TTY=$TTY QISOCK_PEER=$PEER /tests/cli-test.sh || rc=1
}

# Bring context 1 of the modem in sysfs dir $1 up and keep it so, as a
# board's start-up would (the simulator starts with none active). A BC66's
# context follows registration (no autoconnect): only wait for "+IP:".
ctx_up() {
	local d=$1 i=0

	if [ -e "$d/ctx1/autoconnect" ]; then
		echo internet >"$d/ctx1/apn" && echo 1 >"$d/ctx1/autoconnect" || return 1
	fi
	while [ $i -lt 300 ]; do
		[ "$(cat "$d/ctx1/state" 2>/dev/null)" = up ] && return 0
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Wait for qisock<M> on $TTY to be "ready"; its name on stdout.
wait_ready() {
	local i=0 d

	while [ $i -lt 150 ]; do
		for d in /sys/class/qisock/qisock*; do
			[ "$(cat "$d/tty" 2>/dev/null)" = "${TTY#/dev/}" ] &&
				[ "$(cat "$d/state" 2>/dev/null)" = ready ] &&
				{ basename "$d"; return 0; }
		done
		i=$((i + 1))
		sleep 0.1
	done
	return 1
}

# Every node of modem $1 whose "mode uid gid" is not $2, with what it has;
# nothing when all agree. With $3 = sockets the socket nodes must exist.
node_perms_differ() {
	local n

	[ -c "/dev/$1" ] || echo "/dev/$1 missing"
	[ "$3" != sockets ] || [ -c "/dev/${1}s0" ] || echo "/dev/${1}s0 missing"
	for n in /dev/$1 /dev/${1}s*; do
		[ -c "$n" ] || continue
		[ "$(stat -c '%a %u %g' "$n")" = "$2" ] || echo "$n $(stat -c '%a %u %g' "$n")"
	done
}

# Who may use the modem (Documentation/admin-guide/qisock.rst): the default
# nodes, the node_mode/node_gid parameters, the shipped udev rule, and that
# an unprivileged user in the node group claims only free connectIDs and
# reaches a queued connection only through ACCEPT on its listener.
access_tests() {
	local m idx bad out p port lport lpid wpid busy n i member outsider socks=''
	# uid 1000 in the node group (dialout, 20); uid 1001 in no group. The
	# path: busybox sh would run its own setpriv applet, which lacks these.
	member="/usr/bin/setpriv --reuid=1000 --regid=1000 --groups=20"
	outsider="/usr/bin/setpriv --reuid=1001 --regid=1001 --clear-groups"

	case $model in
	ec200u|eg915u) socks=sockets ;;
	esac

	# 1. Loaded without parameters: 0600 root, as before.
	ldattach 29 "$TTY" || { result FAIL access/attach "ldattach failed"; return; }
	m=$(wait_ready) || { result FAIL access/attach "no ready device"; kill "$(pidof ldattach)"; return; }
	[ -z "$socks" ] || ctx_up "/sys/class/qisock/$m" || echo "access: context 1 did not come up"
	[ -z "$socks" ] || for i in $(seq 50); do [ -c "/dev/${m}s11" ] && break; sleep 0.1; done
	bad=$(node_perms_differ "$m" "600 0 0" "$socks")
	[ -z "$bad" ] && result PASS access/default-0600-root ||
		result FAIL access/default-0600-root "$(echo "$bad" | head -n 3 | tr '\n' ' ')"
	out=$($member qisock info -m "/dev/$m" "/dev/$m" 2>&1)
	case $out in
	*"Permission denied"*) result PASS access/default-member-eacces ;;
	*) result FAIL access/default-member-eacces "$(echo "$out" | head -c 200 | tr '\n' ' ')" ;;
	esac

	# 2. The shipped udev rule, run by the real udevadm on the real device.
	if ! command -v udevadm >/dev/null; then
		result SKIP access/udev-rule "no udevadm in the initramfs (host has no udev)"
	else
		out=$(for n in /sys/class/qisock/${m} /sys/class/qisock/${m}s*; do
			[ -e "$n" ] && udevadm test --action=add "$n" 2>&1
		done)
		echo "$out" >/tmp/udevadm.log
		bad=$(node_perms_differ "$m" "660 0 20" "$socks")
		if [ -z "$bad" ] &&
		   ! grep -q -i '60-qisock.rules.*\(invalid\|ignoring\|unknown\)' /tmp/udevadm.log; then
			result PASS access/udev-rule "$(grep -i -m 1 '60-qisock.rules.*group' /tmp/udevadm.log | sed 's/.*rules.d.//' | head -c 80)"
		else
			result FAIL access/udev-rule "$(echo "$bad" | head -n 2 | tr '\n' ' ') udevadm: $(grep -i '60-qisock\|invalid\|ignoring\|permissions' /tmp/udevadm.log | head -n 4 | tr '\n' ' ' | head -c 400)"
		fi
		out=$($member qisock info -m "/dev/$m" "/dev/$m" 2>&1)
		echo "$out" | grep -q "^/dev/$m: connectID" && result PASS access/udev-member-opens ||
			result FAIL access/udev-member-opens "$(echo "$out" | head -c 200 | tr '\n' ' ')"
	fi
	kill "$(pidof ldattach)" 2>/dev/null
	sleep 1

	# 3. Parameters: bad values fail insmod, good ones reach every node.
	for i in $(seq 50); do rmmod qisock 2>/dev/null && break; sleep 0.1; done
	! grep -q '^qisock ' /proc/modules || { result FAIL access/rmmod "cannot unload"; return; }
	bad=
	for p in node_mode=01660 node_mode=04660 node_mode=0 node_mode=0680 \
		 node_mode=0x1b0 node_gid=4294967295 node_gid=-1 node_gid=dialout; do
		if insmod "$KO" "$p" 2>/dev/null; then
			bad="$bad $p"
			rmmod qisock
		fi
	done
	[ -z "$bad" ] && result PASS access/param-rejects-bad ||
		result FAIL access/param-rejects-bad "insmod accepted:$bad"
	if ! out=$(insmod "$KO" node_mode=0660 node_gid=20 2>&1); then
		result FAIL access/param-insmod "$out"
		insmod "$KO"
		return
	fi
	out="$(cat /sys/module/qisock/parameters/node_mode) $(cat /sys/module/qisock/parameters/node_gid)"
	[ "$out" = "0660 20" ] && result PASS access/param-sysfs ||
		result FAIL access/param-sysfs "parameters read back as $out"
	ldattach 29 "$TTY" || { result FAIL access/attach "ldattach failed"; return; }
	m=$(wait_ready) || { result FAIL access/attach "no ready device"; kill "$(pidof ldattach)"; return; }
	[ -z "$socks" ] || ctx_up "/sys/class/qisock/$m" || echo "access: context 1 did not come up"
	[ -z "$socks" ] || for i in $(seq 50); do [ -c "/dev/${m}s11" ] && break; sleep 0.1; done
	bad=$(node_perms_differ "$m" "660 0 20" "$socks")
	# udev takes them from the uevent unless a rule says otherwise
	grep -q '^DEVMODE=0660$' "/sys/class/qisock/$m/uevent" &&
		grep -q '^DEVGID=20$' "/sys/class/qisock/$m/uevent" ||
		bad="$bad uevent: $(grep '^DEV' "/sys/class/qisock/$m/uevent" | tr '\n' ' ')"
	[ -z "$bad" ] && result PASS access/param-nodes-0660-gid ||
		result FAIL access/param-nodes-0660-gid "$(echo "$bad" | head -n 3 | tr '\n' ' ')"

	# 4. Not in the group: EACCES on the control node and a socket node.
	out=$($outsider qisock info -m "/dev/$m" "/dev/$m" 2>&1)
	case $out in
	*"/dev/$m: Permission denied"*) result PASS access/outsider-control-eacces ;;
	*) result FAIL access/outsider-control-eacces "$(echo "$out" | head -c 200 | tr '\n' ' ')" ;;
	esac
	if [ -z "$socks" ]; then
		kill "$(pidof ldattach)" 2>/dev/null
		sleep 1
		return
	fi
	idx=${m#qisock}		# -m <index> -i N: the node /dev/qisock<index>sN
	out=$($outsider qisock nc -m "$idx" -i 0 -w 1 127.0.0.1 9 </dev/null 2>&1)
	case $out in
	*"/dev/${m}s0: Permission denied"*) result PASS access/outsider-socket-eacces ;;
	*) result FAIL access/outsider-socket-eacces "$(echo "$out" | head -c 200 | tr '\n' ' ')" ;;
	esac

	# 5. In the group: a TCP connection works.
	port=$(peer serve tcp echo=1 | awk '$1 == "ok" { print $2 }')
	out=$(printf 'member\n' | timeout 60 $member qisock nc -m "/dev/$m" -w 3 127.0.0.1 "$port" 2>&1)
	[ "$out" = member ] && result PASS access/member-connect ||
		result FAIL access/member-connect "got: $(echo "$out" | head -c 200 | tr '\n' ' ')"

	# 6. A listener of the member, stopped so that it cannot accept yet.
	for i in $(seq 100); do	# the connection of 5. is closed
		$member qisock info -m "/dev/$m" | grep -q ': in use$' || break
		sleep 0.1
	done
	lport=$(peer freeport tcp | awk '$1 == "ok" { print $2 }')
	$member qisock listen -m "/dev/$m" -i 4 -w 3 "$lport" </dev/null \
		>/tmp/acl-listen.out 2>/tmp/acl-listen.err &
	lpid=$!		# setpriv execs qisock: the same process
	(sleep 90; kill -CONT "$lpid"; kill "$lpid") 2>/dev/null &
	wpid=$!
	for i in $(seq 50); do
		$member qisock info -m "/dev/$m" | grep -q "^/dev/${m}s4: in use" && break
		sleep 0.1
	done
	kill -STOP "$lpid"
	peer connect tcp "$lport" send=100 >/dev/null
	busy=
	for i in $(seq 100); do
		busy=$($member qisock info -m "/dev/$m" | sed -n "s|^/dev/${m}s\([0-9]*\): in use$|\1|p" | grep -v '^4$')
		[ -n "$busy" ] && break
		sleep 0.1
	done
	if [ -z "$busy" ] || [ "$(echo "$busy" | wc -l)" != 1 ]; then
		result FAIL access/queued-only-via-accept "busy connectIDs besides the listener's: '$(echo "$busy" | tr '\n' ' ')'"
	else
		# neither its node, nor the control node naming it, nor the
		# listener's connectID: all EBUSY, for another program of the member
		bad=
		out=$($member qisock nc -m "$idx" -i "$busy" -w 1 127.0.0.1 "$port" </dev/null 2>&1)
		echo "$out" | grep -q 'Device or resource busy' || bad="$bad s$busy:'$out'"
		out=$($member qisock nc -m "/dev/$m" -i "$busy" -w 1 127.0.0.1 "$port" </dev/null 2>&1)
		echo "$out" | grep -q 'Device or resource busy' || bad="$bad ctl-$busy:'$out'"
		out=$($member qisock open -t listen -m "$idx" -i 4 -p "$lport" </dev/null 2>&1)
		echo "$out" | grep -q 'Device or resource busy' || bad="$bad s4:'$out'"
		kill -CONT "$lpid"
		wait "$lpid"
		n=$(wc -c </tmp/acl-listen.out)
		grep -q "on connectID $busy\$" /tmp/acl-listen.err && [ "$n" -eq 100 ] ||
			bad="$bad accept: $n bytes, $(head -c 200 /tmp/acl-listen.err | tr '\n' ' ')"
		[ -z "$bad" ] && result PASS access/queued-only-via-accept ||
			result FAIL access/queued-only-via-accept "$(echo "$bad" | head -c 400)"
	fi
	kill -CONT "$lpid" 2>/dev/null
	kill "$lpid" "$wpid" 2>/dev/null
	wait "$lpid" 2>/dev/null
	kill "$(pidof ldattach)" 2>/dev/null
	sleep 1
}

demo() {
	echo
	echo "=== qisock demo on Linux $(uname -r), simulated ${model:-modem} on $TTY ==="
	echo "# insmod qisock.ko"
	load || return 1
	echo "# ldattach 29 $TTY"
	ldattach 29 "$TTY" || { echo "ldattach failed"; rc=1; return 1; }
	if ! wait_ready >/dev/null; then
		echo "no qisock device became ready"
		rc=1
	else
		show qisock
		if [ -e "/sys/class/qisock/$(wait_ready)/ctx1/autoconnect" ]; then
			show qisock ctx set 1 apn internet autoconnect on
		else
			echo "(${model}: context 1 follows network registration, its APN is the"
			echo " module's AT+CGDCONT; no autoconnect, and 'ctx up' only waits for +IP:)"
			show qisock ctx set 1 apn internet
		fi
		show qisock ctx up 1
		show qisock ctx show 1
		show qisock resolve qisock.test
		demo_http
		show qisock sock show
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
		# Every model: what a BC66 cannot do is asserted as its refusal.
		# shellcheck disable=SC2086 # $args is a list
		QISOCK_TTY=$TTY QISOCK_PEER=$PEER /tests/sockets_test $args || rc=1
		# The feature suites after them, in name order, each with
		# everything the two above are given.
		for t in /tests/*_test; do
			case $t in
			*/qisock_test | */sockets_test) continue ;;
			esac
			# shellcheck disable=SC2086 # $args is a list
			QISOCK_MODEL=$model QISOCK_TTY=$TTY QISOCK_KO=$KO \
				QISOCK_PEER=$PEER "$t" $args || rc=1
		done
		case " $args " in
		"  " | *" -t compat "*) compat_tests ;;
		esac
		# -t cli selects them alone, as -t NAME selects a selftest
		case " $args " in
		"  " | *" -t cli "*) cli_tests ;;
		esac
		case " $args " in
		"  " | *" -t access "*) access_tests ;;
		esac
	else
		smoke
	fi
	;;
esac
finish
