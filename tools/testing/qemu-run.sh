#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Boot one Debian kernel under QEMU (TCG) with the test initramfs, its ttyS1
# wired to the modem simulator on the host, and turn what the guest prints
# into result lines "PASS|FAIL|SKIP: qemu/<abi>/<model>/<test>". The guest's
# ttyS2 is wired to tools/testing/peer.py, which starts TCP/UDP peers on the
# host's 127.0.0.1 on request and relays commands to the simulator's control
# socket. EC200U/EG915U simulators run with --pdp-active (context 1 up).
# In --demo mode a python3 http.server on 127.0.0.1 serves a small page; its
# port goes to the guest as qisocktest.http=PORT.
#
# Usage: qemu-run.sh [--demo|--smoke] <abi> <model>
#   --demo    human-friendly: attach with ldattach, show sysfs and dmesg,
#             simulator trace on stderr; no result lines
#   --smoke   no driver: check the guest can talk AT to the simulator
# Environment:
#   QISOCK_SIM            simulator binary (tools/qisock-sim/qisock-sim)
#   QISOCK_INITRAMFS      use this initramfs instead of building one
#   QISOCK_QEMU_TIMEOUT   hard limit for one boot in seconds (600)
#   QISOCK_TEST_ARGS      arguments for the selftest binary, e.g. "-t state_ready"
#   QISOCK_PENDING        list of known-failing tests (tools/testing/qemu-pending.txt;
#                         empty: none): a FAIL of one is reported as
#                         "SKIP: ... (pending: <reason>)"
# Logs: $QISOCK_CACHE/logs/qemu/<abi>-<model>/{console,sim-trace,sim,peer}.log
set -u
. "$(dirname "$0")/lib.sh"

mode="test"
case ${1:-} in
--demo) mode=demo; shift ;;
--smoke) mode=smoke; shift ;;
esac
abi=${1:?usage: qemu-run.sh [--demo|--smoke] <abi> <model>}
model=${2:?usage: qemu-run.sh [--demo|--smoke] <abi> <model>}
limit=${QISOCK_QEMU_TIMEOUT:-600}
sim=${QISOCK_SIM:-$QISOCK_TOP/tools/qisock-sim/qisock-sim}
name=qemu/$abi/$model
# Tests of driver features known not to work yet: their FAILs become SKIPs.
pending=${QISOCK_PENDING-$QISOCK_TOP/tools/testing/qemu-pending.txt}
[ -f "$pending" ] || pending=
logdir=$QISOCK_CACHE/logs/qemu/$abi-$model
mkdir -p "$logdir"
console=$logdir/console.log

fail() {	# fail why: the whole boot failed
	result FAIL "$name/boot" "$1; logs in $logdir"
	exit 1
}

[ -x "$sim" ] || fail "simulator $sim not built (make sim)"
command -v qemu-system-x86_64 >/dev/null || fail "qemu-system-x86_64 missing (make deps)"
vmlinuz=$("$QISOCK_TOP/tools/testing/kernels.sh" "$abi" | awk '{print $2}') ||
	fail "no kernel image for $abi"
initrd=${QISOCK_INITRAMFS:-}
if [ -z "$initrd" ]; then
	initrd=$("$QISOCK_TOP/tools/testing/mkinitramfs.sh" "$abi") || fail "mkinitramfs failed"
fi

run=$(mktemp -d /tmp/qisock-run.XXXXXX)
sim_pid=
peer_pid=
http_pid=
cleanup() {
	local p
	for p in $sim_pid $peer_pid $http_pid; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# The simulator: listening before QEMU connects to it.
# Names it resolves (AT+QIDNSGIP, QPING, QNTP, QIOPEN): one for the host's
# loopback, one in TEST-NET-1, which the simulator's ping never answers.
sim_args=(--host qisock.test=127.0.0.1 --host blackhole.test=192.0.2.1)
# As a module does, the simulator starts with no PDP context active: the
# tests and the demo bring context 1 up through sysfs (ctx1/).
if [ "$mode" = demo ]; then
	# The trace goes to stdout too, so it interleaves with the guest console.
	"$sim" --model "$model" --unix "$run/sim.sock" --control "$run/ctl.sock" \
		"${sim_args[@]}" --trace \
		2> >(tee "$logdir/sim-trace.log" | sed -u 's/^/        [sim] /') &
else
	"$sim" --model "$model" --unix "$run/sim.sock" --control "$run/ctl.sock" \
		"${sim_args[@]}" --trace="$logdir/sim-trace.log" >"$logdir/sim.log" 2>&1 &
fi
sim_pid=$!
: >"$logdir/peer.log"
python3 "$QISOCK_TOP/tools/testing/peer.py" --unix "$run/peer.sock" \
	--control "$run/ctl.sock" --log "$logdir/peer.log" --max-time "$((limit + 30))" \
	>>"$logdir/peer.log" 2>&1 &
peer_pid=$!
extra_append=
if [ "$mode" = demo ]; then
	mkdir -p "$run/www"
	http_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	{
		echo "<html><head><title>qisock demo</title></head><body>"
		echo "<h1>Hello from the host, through a simulated EC200U</h1>"
		echo "<p>Served by python3 http.server on 127.0.0.1:$http_port at $(date -u '+%F %T') UTC.</p>"
		echo "</body></html>"
	} >"$run/www/index.html"
	python3 -m http.server --bind 127.0.0.1 --directory "$run/www" "$http_port" \
		>"$logdir/http.log" 2>&1 &
	http_pid=$!
	extra_append=" qisocktest.http=$http_port"
fi
for _ in $(seq 100); do
	[ -S "$run/sim.sock" ] && break
	kill -0 "$sim_pid" 2>/dev/null || break
	sleep 0.05
done
[ -S "$run/sim.sock" ] || fail "simulator did not listen on $run/sim.sock"
for _ in $(seq 100); do
	[ -S "$run/peer.sock" ] && break
	kill -0 "$peer_pid" 2>/dev/null || break
	sleep 0.05
done
[ -S "$run/peer.sock" ] || fail "peer.py did not listen on $run/peer.sock"

nonce=$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
qemu=(qemu-system-x86_64 -accel tcg -m 512 -smp 1 -nographic -no-reboot -nic none
      -kernel "$vmlinuz" -initrd "$initrd"
      -append "console=ttyS0 panic=-1 quiet qisocktest.mode=$mode qisocktest.model=$model qisocktest.nonce=$nonce$extra_append${QISOCK_TEST_ARGS:+ qisocktest.args=$(echo "$QISOCK_TEST_ARGS" | tr ' ' ,)}"
      -serial mon:stdio -serial chardev:m -chardev "socket,id=m,path=$run/sim.sock"
      -serial chardev:p -chardev "socket,id=p,path=$run/peer.sock")
start=$(date +%s)
if [ "$mode" = demo ]; then
	# Console to the terminal (markers hidden), Ctrl-A x quits.
	timeout --foreground -k 5 "$limit" "${qemu[@]}" 2>&1 | tee "$console" |
		sed -u -n -e 's/\r$//' -e '/QISOCK-BEGIN/,$ { /QISOCK-/!p }'
	status=${PIPESTATUS[0]}
else
	timeout -k 5 "$limit" "${qemu[@]}" </dev/null >"$console" 2>&1
	status=$?
fi
secs=$(($(date +%s) - start))
kill "$sim_pid" 2>/dev/null
wait "$sim_pid" 2>/dev/null
sim_pid=

[ "$status" -eq 124 ] || [ "$status" -eq 137 ] && timed_out=1 || timed_out=0
end=$(tr -d '\r' <"$console" | sed -n "s/^.*QISOCK-END $nonce rc=\([0-9]*\).*/\1/p" | tail -n1)

if [ "$mode" = demo ]; then
	[ -n "$end" ] && [ "$end" = 0 ] && exit 0
	echo "demo failed (qemu exit $status, guest rc ${end:-none}); logs in $logdir" >&2
	[ -n "$end" ] || tr -d '\r' <"$console" | tail -n 20 | sed 's/^/    | /' >&2
	exit 1
fi

# Parse the console: our markers and the selftests' TAP.
tr -d '\r' <"$console" | awk -v nonce="$nonce" -v name="$name" -v pendfile="$pending" '
BEGIN {
	while (pendfile != "" && (getline l <pendfile) > 0) {
		if (l ~ /^[ \t]*(#|$)/)
			continue
		n = split(l, w, /[ \t]+/)
		r = ""
		for (i = 2; i <= n; i++)
			r = r (r == "" ? "" : " ") w[i]
		pend[w[1]] = r
	}
}
function emit(st, t, why) {
	if (st == "FAIL" && (t in pend)) {
		# a driver feature known not to work yet: skip, saying so
		st = "SKIP"
		why = "pending: " pend[t]
		pended++
	}
	if (why != "")
		printf "%s: %s/%s (%s)\n", st, name, t, why
	else
		printf "%s: %s/%s\n", st, name, t
	if (st == "FAIL")
		fails++
}
/^1\.\.[0-9]+$/ { plan += substr($0, 4) + 0; next }	# one plan per binary
$1 == "QISOCK-RESULT" && $2 == nonce {
	st = $3; t = $4; why = ""
	for (i = 5; i <= NF; i++)
		why = why (why == "" ? "" : " ") $i
	emit(st, t, why)
	next
}
$1 == "QISOCK-DMESG-BEGIN" { indmesg = 1; next }
$1 == "QISOCK-DMESG-END" { indmesg = 0; next }
indmesg { next }
/^#  RUN / { buf = ""; next }
/^# bench: / { print substr($0, 3); next }
/^# / { buf = buf "    | " substr($0, 3) "\n"; next }
/^(not )?ok [0-9]+ / {
	st = ($1 == "ok") ? "PASS" : "FAIL"
	line = $0
	sub(/^(not )?ok [0-9]+ /, "", line)
	why = ""
	if (match(line, / # (SKIP|skip|XFAIL)/)) {
		why = substr(line, RSTART + 3)
		line = substr(line, 1, RSTART - 1)
		sub(/^[A-Za-z]+ */, "", why)
		if (st == "PASS")
			st = "SKIP"
	}
	sub(/^[^.]*\./, "", line)	# drop the fixture name
	emit(st, line, why)
	if (st == "FAIL")
		printf "%s", buf
	buf = ""
	ntap++
	next
}
END {
	if (plan > 0 && ntap < plan)
		emit("FAIL", "selftests", ntap " of " plan " tests reported")
	exit fails > 0 ? 1 : pended > 0 ? 2 : 0
}'
parse_fail=$?
pended=0
if [ "$parse_fail" = 2 ]; then	# only pending failures: the guest rc says 1 for them
	parse_fail=0
	pended=1
fi

if [ -z "$end" ]; then
	if [ "$timed_out" = 1 ]; then
		why="no end marker: timed out after ${limit}s"
	else
		why="no end marker: qemu exit $status"
	fi
	result FAIL "$name/boot" "$why; console $console"
	tr -d '\r' <"$console" | grep -v '^QISOCK-' | tail -n 25 | sed 's/^/    | /'
	exit 1
fi
result PASS "$name/boot" "${secs}s"
if [ "$end" != 0 ] && [ "$parse_fail" = 0 ] && [ "$pended" = 0 ]; then
	result FAIL "$name/exit" "guest rc=$end"
	exit 1
fi
[ "$parse_fail" = 0 ]
